"""Extraction on short texts written for these tests, plus number and qualifier parsing."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterator
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

from casualties.extract import MENTION_COLUMNS, Extractor, SegmentInput, build_extractor, paragraph_spans
from casualties.dates import find_date_mentions
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.extract.numbers import parse_number
from casualties.extract.people import PersonWords
from casualties.extract.story_facts import dates_the_incident
from casualties.tables import CASUALTY_MENTIONS

STORY_DATE = dt.date(2025, 6, 14)  # a Saturday

ODESA_STORY = (
    "ODESA, Ukraine (AP) — A Russian drone strike on Odesa early Wednesday killed seven people, including two "
    "children, and wounded at least 23 others, regional governor Oleh Kiper said.\n\n"
    "The attack damaged 15 apartment buildings and 40 cars. Rescuers worked for twelve hours. "
    "A 78-year-old woman was among the dead.\n\n"
    "Russia launched 112 drones and 3 missiles overnight, the Ukrainian air force said. "
    "It said 98 drones were downed."
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return build_extractor()


def segment(
    text: str,
    story_id: str = "doc-0",
    kind: str = "body",
    story_date: dt.date | None = STORY_DATE,
    dateline: str | None = None,
    segment_date: dt.date | None = None,
) -> SegmentInput:
    return SegmentInput(
        segment_id=f"{story_id}-{kind}-0",
        story_id=story_id,
        doc_id=story_id.split("-")[0],
        kind=kind,
        text=text,
        story_date=story_date,
        dateline=dateline,
        segment_date=segment_date,
    )


def figures(rows: list[dict[str, Any]]) -> set[tuple[str, str | None, int | None, str]]:
    return {(row["casualty_type"], row["victim_group"], row["value"], row["qualifier"]) for row in rows}


# -- numbers ---------------------------------------------------------------------------


def test_parse_number_rejects_non_numbers() -> None:
    assert parse_number("a") is None
    assert parse_number("people") is None
    assert parse_number("1.4 million") == 1_400_000


def test_a_number_larger_than_any_count_of_people_is_no_figure(extractor: Extractor) -> None:
    # Past 2**63 such a number would not even fit the tables' BIGINT, and its story would stop the run.
    assert parse_number("98765432109876543210") is None
    assert parse_number("twenty billion") is None
    assert parse_number("eight billion") == 8_000_000_000
    rows = list(extractor.extract([segment("Officials said 98765432109876543210 villagers were killed in the flood.")]))
    assert [row["value"] for row in rows] == []


# -- the API ---------------------------------------------------------------------------


def test_rows_carry_every_column_but_those_the_pipeline_fills(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment(ODESA_STORY, dateline="ODESA, Ukraine")]))
    assert rows
    expected = [name for name in CASUALTY_MENTIONS.column_names if name not in ("reported_at", "publisher", "event_id")]
    for row in rows:
        assert list(row) == expected == list(MENTION_COLUMNS)
        for column in CASUALTY_MENTIONS.columns:
            if not column.nullable and column.name in row:
                assert row[column.name] is not None, column.name
        for name, allowed in CASUALTY_MENTIONS.allowed_values.items():
            assert row[name] is None or row[name] in allowed, (name, row[name])


def test_offsets_point_back_at_the_words(extractor: Extractor) -> None:
    text = ODESA_STORY
    for row in extractor.extract([segment(text)]):
        assert text[row["char_start"] : row["char_end"]] == row["sentence"]
        assert text[row["value_start"] : row["value_end"]] == row["value_text"]
        assert row["char_start"] <= row["value_start"] < row["value_end"] <= row["char_end"]


def test_mention_ids_are_stable_and_unique(extractor: Extractor) -> None:
    first = [row["mention_id"] for row in extractor.extract([segment(ODESA_STORY)])]
    second = [row["mention_id"] for row in build_extractor().extract([segment(ODESA_STORY)])]
    assert first == second
    assert len(set(first)) == len(first)


def test_extract_streams(extractor: Extractor) -> None:
    consumed: list[str] = []

    def segments() -> Iterator[SegmentInput]:
        for number in range(3):
            consumed.append(f"s{number}")
            yield segment(ODESA_STORY, story_id=f"s{number}-0")

    rows = extractor.extract(segments())
    assert inspect.isgenerator(rows)
    assert consumed == []  # nothing is read before rows are asked for
    assert len({row["story_id"] for row in rows}) == 3


def test_parallel_processes_give_the_same_rows(extractor: Extractor) -> None:
    stories = [segment(ODESA_STORY, story_id=f"p{number}-0") for number in range(4)]
    serial = list(extractor.extract(stories, batch_size=2))
    parallel = list(extractor.extract(stories, batch_size=2, n_process=2))
    assert parallel == serial


def test_prefilter_parses_only_paragraphs_with_a_casualty_word_and_a_number() -> None:
    extractor = build_extractor()
    list(extractor.extract([segment(ODESA_STORY)]))
    assert (extractor.stats.paragraphs, extractor.stats.paragraphs_parsed) == (3, 2)
    assert extractor.stats.tokens_parsed < extractor.stats.tokens


def test_prefilter_skips_numbers_of_time_money_and_age() -> None:
    extractor = build_extractor()
    story = (
        "Mourners gathered for five hours outside the morgue where the dead were taken.\n\n"
        "The state promised 100 million naira to the families of those killed.\n\n"
        "A 19-year-old vendor was among the dead.\n\n"
        "Police said six people were killed."
    )
    rows = list(extractor.extract([segment(story)]))
    assert (extractor.stats.paragraphs, extractor.stats.paragraphs_parsed) == (4, 1)
    assert [(row["value"], row["casualty_type"]) for row in rows] == [(6, "killed")]


def test_prefilter_reads_words_of_maiming_only_beside_a_body_part() -> None:
    extractor = build_extractor()
    story = (
        "Power was cut to 3,000 homes and 40 windows were broken.\n\n"
        "Gunmen cut off the hand of a farmer in the village."
    )
    rows = list(extractor.extract([segment(story)]))
    assert (extractor.stats.paragraphs, extractor.stats.paragraphs_parsed) == (2, 1)
    assert [(row["value"], row["casualty_type"]) for row in rows] == [(1, "injured")]


def test_prefilter_reads_words_needing_a_shot_only_beside_one() -> None:
    extractor = build_extractor()
    story = (
        "A 9-year-old girl was hit by a car near her school on Friday.\n\n"
        "Two men were struck by stray bullets outside the bar."
    )
    rows = list(extractor.extract([segment(story)]))
    assert (extractor.stats.paragraphs, extractor.stats.paragraphs_parsed) == (2, 1)
    assert [(row["value"], row["casualty_type"]) for row in rows] == [(2, "injured")]


def test_prefilter_reads_words_counting_only_fighters_only_beside_them() -> None:
    extractor = build_extractor()
    story = (
        "Officials said 40 families lost their homes when the river flooded.\n\n"
        "The army said it lost three soldiers in the clash near the border."
    )
    rows = list(extractor.extract([segment(story)]))
    assert (extractor.stats.paragraphs, extractor.stats.paragraphs_parsed) == (2, 1)
    assert [(row["value"], row["casualty_type"]) for row in rows] == [(3, "killed")]


def test_prefilter_skips_a_casualty_word_after_the_or_this() -> None:
    extractor = build_extractor()
    story = (
        "Detectives said they are still looking into the shooting and asked anyone with video to call Sgt. Dana Reyes.\n\n"
        "Among the wounded, she said, this was the youngest she had seen at Mercy General.\n\n"
        "The slain officer, Pat Quinn, had served the department for nine years.\n\n"
        "Investigators said the shooting that killed Lee Park began as an argument over a parking space."
    )
    rows = list(extractor.extract([segment(story)]))
    # 'the shooting' and 'the wounded' name no victim; 'the slain officer' and 'killed Lee Park' may.
    assert (extractor.stats.paragraphs, extractor.stats.paragraphs_parsed) == (4, 2)
    assert [(row["value"], row["casualty_type"]) for row in rows] == [(1, "killed")]


def test_long_paragraphs_are_cut_at_sentence_ends() -> None:
    text = " ".join(["Officials said the shelling went on for hours."] * 80)
    spans = list(paragraph_spans(text))
    assert len(spans) > 1
    assert "".join(text[start:end] for start, end in spans).replace(" ", "") == text.replace(" ", "")


# -- figures ---------------------------------------------------------------------------


def test_totals_groups_qualifiers_and_context(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment(ODESA_STORY, dateline="ODESA, Ukraine")]))
    assert figures(rows) == {
        ("killed", None, 7, "exact"),
        ("killed", "children", 2, "exact"),
        ("injured", None, 23, "at_least"),
    }
    for row in rows:
        assert (row["location"], row["geonameid"], row["location_precision"]) == ("Odesa", 698740, "city")
        assert (row["event_date"], row["event_date_precision"]) == (dt.date(2025, 6, 11), "day")
        assert (row["attack_kind"], row["weapon"]) == ("drone strike", "drones")
        assert row["attributed_to"] == "Oleh Kiper"
        assert row["is_claim"] is False and row["is_historical"] is False
    injured = next(row for row in rows if row["casualty_type"] == "injured")
    assert (injured["value_low"], injured["value_high"], injured["value_text"]) == (23, None, "at least 23 others")


def test_weapons_buildings_ages_durations_and_rates_are_not_casualties(extractor: Extractor) -> None:
    text = (
        "The strike damaged 15 apartment buildings and 40 cars, and rescuers worked for twelve hours. "
        "A 78-year-old man and a three-month-old girl were among those hurt in the 2023 blast.\n"
        "He said 300 soldiers a day were dying and that 2,000 troops were killed in 13 sites, "
        "a claim nobody checked. Russia launched 112 drones; the 30-day truce killed no one."
    )
    rows = list(extractor.extract([segment(text)]))
    assert {row["value"] for row in rows} <= {2000}, figures(rows)


def test_coordination_partitives_and_tolls(extractor: Extractor) -> None:
    text = (
        "Officials said nine people died and another 14 were hurt. The toll later rose to 11. "
        "Among the dead were three soldiers.\n"
        "Of the injured, 5 were hospitalized. It said 40 of the dead were civilians and 8 were with the police."
    )
    found = figures(extractor.extract([segment(text)]))
    assert {
        ("killed", None, 9, "exact"),
        ("injured", None, 14, "exact"),
        ("killed", None, 11, "exact"),
        ("killed", "military", 3, "exact"),
        ("hospitalized", None, 5, "exact"),
        ("killed", "civilians", 40, "exact"),
        ("killed", "security_forces", 8, "exact"),
    } <= found


def test_other_casualty_types_and_vague_amounts(extractor: Extractor) -> None:
    text = (
        "Police said more than 200 protesters were arrested on Saturday and dozens of people were hospitalized. "
        "Twenty-three people were injured, according to the health ministry.\n\n"
        "Some 1,500 people remain missing after the floods, and 10,000 have been displaced."
    )
    rows = list(extractor.extract([segment(text)]))
    # Arrests are detentions: the gold files know five types (killed, injured, hospitalized,
    # missing, detained), and 'arrested' is counted as 'detained'.
    assert figures(rows) == {
        ("detained", "protesters", 200, "more_than"),
        ("hospitalized", None, None, "about"),
        ("injured", None, 23, "exact"),
        ("missing", None, 1500, "about"),
        ("displaced", None, 10000, "exact"),
    }
    vague = next(row for row in rows if row["value"] is None)
    assert (vague["value_low"], vague["value_high"], vague["value_text"]) == (24, 99, "dozens")
    injured = next(row for row in rows if row["casualty_type"] == "injured")
    assert injured["attributed_to"] == "health ministry"
    arrested = next(row for row in rows if row["casualty_type"] == "detained")
    assert (arrested["event_date"], arrested["event_date_precision"]) == (STORY_DATE, "day")


def test_belligerent_claims_about_enemy_losses(extractor: Extractor) -> None:
    text = (
        "The Israeli military said its strikes killed 30 militants in the area. "
        "Local health officials said 12 civilians were killed.\n\n"
        "Russia's Defense Ministry described the raid as a success. "
        "The ministry claimed it killed up to 40 Ukrainian soldiers."
    )
    rows = list(extractor.extract([segment(text)]))
    claims = {(row["claimant"], row["victim_group"], row["value"], row["qualifier"]) for row in rows if row["is_claim"]}
    assert claims == {
        ("Israeli military", "perpetrators", 30, "exact"),
        ("Russian defense ministry", "military", 40, "up_to"),
    }
    civilians = next(row for row in rows if row["value"] == 12)
    assert civilians["is_claim"] is False and civilians["claimant"] is None
    assert civilians["attributed_to"] == "Local health officials"


def test_historical_comparison_gets_its_own_date_and_place(extractor: Extractor) -> None:
    text = (
        "A missile strike on Dnipro on Tuesday killed 11 people. "
        "It was the deadliest attack since last year's March 2 strike on Odesa, which killed 12 people."
    )
    rows = {row["value"]: row for row in extractor.extract([segment(text)])}
    assert rows[11]["is_historical"] is False
    assert (rows[11]["location"], rows[11]["event_date"]) == ("Dnipro", dt.date(2025, 6, 10))
    assert rows[12]["is_historical"] is True
    assert (rows[12]["location"], rows[12]["event_date"]) == ("Odesa", dt.date(2024, 3, 2))


def test_place_from_an_earlier_sentence_and_a_later_definite_mention(extractor: Extractor) -> None:
    text = (
        "A Russian ballistic missile strike Monday on a southern Ukrainian city killed 20 people.\n\n"
        "At least 40 people were wounded in the strike on Mykolaiv, the governor said.\n\n"
        "The strike followed a drone attack on Sumy late Sunday that killed three civilians.\n\n"
        "Some of the 17 wounded were carried out by neighbours."
    )
    rows = {row["value"]: row for row in extractor.extract([segment(text)])}
    for value in (20, 40):
        assert (rows[value]["location"], rows[value]["event_date"]) == ("Mykolayiv", dt.date(2025, 6, 9))
        assert (rows[value]["attack_kind"], rows[value]["weapon"]) == ("missile strike", "ballistic missile")
    for value in (3, 17):
        assert (rows[value]["location"], rows[value]["event_date"]) == ("Sumy", dt.date(2025, 6, 8))
        assert rows[value]["attack_kind"] == "drone attack"


def test_undated_story_has_no_event_dates(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("A strike on Kharkiv on Friday killed 4 people.", story_date=None)]))
    assert [(row["value"], row["event_date"], row["event_date_precision"]) for row in rows] == [(4, None, None)]
    assert rows[0]["location"] == "Kharkiv"


def test_unplaced_figures_fall_back_to_the_story_country(extractor: Extractor) -> None:
    text = (
        "BAGHDAD (AP) — Security forces opened fire on protesters in Iraq, and at least 18 people were killed "
        "in the nationwide unrest that began Oct. 1, medics said.\n\nIraqi officials in Basra said the toll may rise."
    )
    rows = list(extractor.extract([segment(text, story_date=dt.date(2025, 10, 9), dateline="BAGHDAD")]))
    assert len(rows) == 1
    row = rows[0]
    assert (row["country_code"], row["location_precision"]) == ("IQ", "country")
    assert (row["event_date"], row["event_date_end"], row["event_date_precision"]) == (
        dt.date(2025, 10, 1),
        dt.date(2025, 10, 9),
        "period",
    )
    assert row["attributed_to"] == "medics"


def test_captions_use_their_own_date_and_do_not_move_the_story(extractor: Extractor) -> None:
    body = segment("A Russian strike on Kherson on Friday killed five people.")
    caption = segment(
        "Rescuers work at the site where two people were killed in Zaporizhzhia. (AP Photo)",
        kind="caption",
        segment_date=dt.date(2025, 6, 12),
    )
    rows = {row["value"]: row for row in extractor.extract([body, caption])}
    assert (rows[5]["location"], rows[5]["event_date"], rows[5]["event_date_basis"]) == (
        "Kherson",
        dt.date(2025, 6, 13),
        "text",
    )
    assert rows[2]["segment"] == "caption"
    assert (rows[2]["location"], rows[2]["event_date"], rows[2]["event_date_basis"]) == (
        "Zaporizhzhya",
        dt.date(2025, 6, 12),
        "posting",
    )


def test_a_story_naming_no_day_dates_its_figures_to_the_week_up_to_publication(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("Gunmen wounded three guards at a checkpoint in Kharkiv.")]))
    assert [
        (row["value"], row["event_date"], row["event_date_end"], row["event_date_precision"], row["event_date_basis"])
        for row in rows
    ] == [(3, STORY_DATE - dt.timedelta(days=6), STORY_DATE, "week", "publication")]


def test_a_number_with_its_own_predicate_does_not_borrow_the_casualty_word(extractor: Extractor) -> None:
    text = "The earthquake killed more than 2,000 people and left 15,000 homeless, while 300 remain unaccounted for."
    assert figures(extractor.extract([segment(text)])) == {
        ("killed", None, 2000, "more_than"),
        ("displaced", None, 15000, "exact"),
        ("missing", None, 300, "exact"),
    }


def test_a_party_reporting_its_own_dead_makes_no_claim(extractor: Extractor) -> None:
    text = "Hamas said 20 Israeli soldiers were killed in the ambush. The Israeli military said 3 soldiers died."
    rows = {row["value"]: row for row in extractor.extract([segment(text)])}
    assert (rows[20]["is_claim"], rows[20]["claimant"]) == (True, "Hamas")
    assert (rows[3]["is_claim"], rows[3]["attributed_to"]) == (False, "Israeli military")
    assert rows[20]["country_code"] is None  # 'Hamas' is not read as Hamm, Germany


def test_back_references_hedged_counts_and_superlative_scopes(extractor: Extractor) -> None:
    text = (
        "In the deadliest day since March, 27 people were killed across the country, the ministry said, "
        "adding that 14 of them were children. Up to 15 others may have died, and rebels could kill 100 more."
    )
    rows = list(extractor.extract([segment(text)]))
    assert figures(rows) == {
        ("killed", None, 27, "exact"),
        ("killed", "children", 14, "exact"),
        ("killed", None, 15, "up_to"),
    }
    for row in rows:
        assert row["event_date_precision"] == "week"  # 'since March' only scopes 'deadliest'
        assert row["attributed_to"] == "ministry" or row["value"] == 15


def test_a_count_since_a_date_covers_the_period_up_to_the_story(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("Since March, 80 civilians have been killed in the region.")]))
    assert [(row["value"], row["event_date"], row["event_date_end"], row["event_date_precision"]) for row in rows] == [
        (80, dt.date(2025, 3, 1), STORY_DATE, "period")
    ]


def test_a_headline_after_the_body_joins_the_story_main_incident(extractor: Extractor) -> None:
    body = segment("A Russian glide bomb attack on Kharkiv on Thursday killed nine people, the governor said.")
    headline = segment("Russian strike kills 9 in Ukraine's second city", kind="headline")
    rows = list(extractor.extract([body, headline]))
    assert [(row["segment"], row["value"], row["location"], row["event_date"]) for row in rows] == [
        ("body", 9, "Kharkiv", dt.date(2025, 6, 12)),
        ("headline", 9, "Kharkiv", dt.date(2025, 6, 12)),
    ]
    assert rows[0]["weapon"] == "guided bombs"


# -- rules added for the demo corpus's traps (sentences written for these tests) -------------


def test_a_count_noun_names_what_it_counts(extractor: Extractor) -> None:
    text = (
        "The number of wounded rose to 41 on Sunday. "
        "The number of civilians killed in the shelling has climbed to 12, including three women."
    )
    assert figures(extractor.extract([segment(text)])) == {
        ("injured", None, 41, "exact"),
        ("killed", "civilians", 12, "exact"),
        ("killed", "women", 3, "exact"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The dead included three journalists and a medic, the union said.", {("killed", "journalists", 3, "exact")}),
        (
            "Gunmen stormed the village, killing at least a dozen people, residents said.",
            {("killed", None, 12, "at_least")},
        ),
        ("Clinics in the north treated 57 people for injuries after the blast.", {("injured", None, 57, "exact")}),
        ("Five fishermen were listed as missing after the storm.", {("missing", None, 5, "exact")}),
        ("Heavy shelling took 9 lives in the town.", {("killed", None, 9, "exact")}),
        ("The district hospital admitted 26 of the wounded.", {("hospitalized", None, 26, "exact")}),
        ("A dozen people hurt in the crush were admitted overnight.", {("hospitalized", None, 12, "exact")}),
        ("Police said 240 people were arrested.", {("detained", None, 240, "exact")}),
        # Fighters captured are detained; positions and vehicles captured count no one.
        ("Border guards capture four rebel fighters near Tessa", {("detained", "military", 4, "exact")}),
        ("The rebels captured 5 positions and 3 tanks near Tessa.", set()),
    ],
)
def test_more_ways_of_stating_a_figure(extractor: Extractor, text: str, expected: set[Any]) -> None:
    assert figures(extractor.extract([segment(text)])) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A place hung on the victim's name as a conjunct is no second victim.
        ("Gunmen shot and killed Tom Vell in Darrow city, Kest province, Norland.", {("killed", None, 1, "exact")}),
        # 'dead' read as the adjective of the object's first word.
        ("Militants shot dead police Major Ivo Brand, an officer of the unit.", {("killed", None, 1, "exact")}),
        ("Both cousins were shot and killed on the road.", {("killed", None, 2, "exact")}),
        ("Gunmen shot and killed them both at the gate.", {("killed", None, 2, "exact")}),
        # A list the parse hung on its first person as an apposition.
        ("Gunmen ambushed the elder, killing the elder, his nephew and a driver.", {("killed", None, 3, "exact")}),
        # The count of the list's tail is part of the list's total.
        (
            "Gunmen fired on the car, killing the mayor, two bodyguards and one civilian.",
            {("killed", None, 4, "exact"), ("killed", "security_forces", 2, "exact"), ("killed", "civilians", 1, "exact")},
        ),
        # The subject of a passive killing is a victim whatever the noun, in a list as alone.
        ("The governor was killed along with two of his guards.", {("killed", None, 3, "exact")}),
    ],
)
def test_victims_named_without_a_total(extractor: Extractor, text: str, expected: set[Any]) -> None:
    assert figures(extractor.extract([segment(text)])) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Militants killed are the attackers, whose figure reconciliation adds to the victims' toll.
        ("Troops repelled the raid; five militants were killed in the exchange of fire.", {("killed", "perpetrators", 5, "exact")}),
        # Listed with their victims they are counted in the list's total and on their own.
        (
            "Two guards and three militants were killed in the clash.",
            {("killed", None, 5, "exact"), ("killed", "security_forces", 2, "exact"), ("killed", "perpetrators", 3, "exact")},
        ),
    ],
)
def test_militants_killed_are_perpetrators(extractor: Extractor, text: str, expected: set[Any]) -> None:
    assert figures(extractor.extract([segment(text)])) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The army admitted 40 recruits to the academy.",  # 'admitted' counts patients only after a hospital
        "A nurse who lives three streets away said the blast woke her.",  # 'lives' is no noun here
        "The war has killed at least 10,000 civilians, according to the United Nations.",
        "The insurgency began in 2011. It has displaced 3 million people.",
        "Rescuers pulled five bodies from the collapsed house.",  # a search's progress, part of a toll
    ],
)
def test_no_incident_figure(extractor: Extractor, text: str) -> None:
    assert figures(extractor.extract([segment(text)])) == set()


def test_increments_add_to_a_count_of_their_own_type(extractor: Extractor) -> None:
    text = (
        "The toll rose to 16 after rescuers found two more bodies. "
        "Twenty people were wounded, four more than first reported.\n\n"
        "Shelling left seven people dead. Three more people died in hospital on Tuesday.\n\n"
        "The strike killed 11 people. Another 6 people were injured when a second drone hit."
    )
    assert figures(extractor.extract([segment(text)])) == {
        ("killed", None, 16, "exact"),
        ("injured", None, 20, "exact"),
        ("killed", None, 7, "exact"),
        ("killed", None, 11, "exact"),
        ("injured", None, 6, "exact"),  # 'another' of another type counts other people
    }


def test_groups_adding_up_to_a_total_break_it_down(extractor: Extractor) -> None:
    text = (
        "Ten people were killed in the clashes, six protesters and four police officers, and more than 300 "
        "people were detained, the ministry said. Officials said 30 people were wounded, 12 of them women."
    )
    assert figures(extractor.extract([segment(text)])) == {
        ("killed", None, 10, "exact"),
        ("killed", "protesters", 6, "exact"),
        ("killed", "security_forces", 4, "exact"),
        ("detained", None, 300, "more_than"),
        ("injured", None, 30, "exact"),
        ("injured", "women", 12, "exact"),
    }


def test_a_ministry_named_without_its_country_takes_the_nation_of_its_sentence(extractor: Extractor) -> None:
    text = "Russian media repeated the Defence Ministry's assertion that up to 300 soldiers had been killed."
    [row] = extractor.extract([segment(text)])
    assert (row["is_claim"], row["claimant"], row["value"]) == (True, "Russian defense ministry", 300)


def test_an_earlier_event_named_after_since_is_historical(extractor: Extractor) -> None:
    text = "It was the worst attack on the city since June 2, 2023, when a missile killed 13 people and injured 40."
    rows = list(extractor.extract([segment(text)]))
    assert [(row["value"], row["event_date"], row["is_historical"]) for row in rows] == [
        (13, dt.date(2023, 6, 2), True),
        (40, dt.date(2023, 6, 2), True),
    ]


def test_place_defaults_and_dates_of_states(extractor: Extractor) -> None:
    body = segment(
        "A missile hit a depot in the eastern Ukrainian city of Kramatorsk on Friday, killing four people. "
        "Nine of the injured remained in hospital on Sunday.",
        story_date=dt.date(2025, 6, 15),
    )
    rows = list(extractor.extract([body]))
    assert [(row["value"], row["location"], row["event_date"]) for row in rows] == [
        (4, "Kramatorsk", dt.date(2025, 6, 13)),  # the city of 'Ukrainian city of Kramatorsk', not Ukraine
        (9, "Kramatorsk", dt.date(2025, 6, 13)),  # 'remained ... on Sunday' dates a state, not the strike
    ]
    placed_by_dateline = segment(
        "Six people died in the attack, officials said.", story_id="doc2-0", dateline="KHERSON, Ukraine"
    )
    [row] = extractor.extract([placed_by_dateline])
    assert row["location"] == "Kherson"


def test_relative_dates_in_a_post_count_from_the_post(extractor: Extractor) -> None:
    body = segment("A drone attack on Odesa on Tuesday killed nine people.", story_date=dt.date(2025, 6, 11))
    post = segment(
        "Odesa this morning. At least 7 dead after the overnight drone attack.",
        story_id="doc-0",
        kind="embedded_post",
        story_date=dt.date(2025, 6, 11),
        segment_date=dt.date(2025, 6, 10),
    )
    rows = list(extractor.extract([body, post]))
    assert [(row["segment"], row["value"], row["location"], row["event_date"]) for row in rows] == [
        ("body", 9, "Odesa", dt.date(2025, 6, 10)),
        ("embedded_post", 7, "Odesa", dt.date(2025, 6, 10)),
    ]


@pytest.mark.parametrize("story_date", [None, dt.date(2019, 11, 22)])
def test_a_full_date_in_the_lead_dates_the_incident_with_or_without_a_publication_date(extractor: Extractor, story_date: dt.date | None):
    text = "11/20/2019: On Wednesday, gunmen attacked a checkpoint in Lorvale. Four guards were killed and two were wounded."
    rows = list(extractor.extract([segment(text, story_date=story_date)]))
    assert {(row["casualty_type"], row["value"]) for row in rows} == {("killed", 4), ("injured", 2)}
    assert {(row["event_date"], row["event_date_end"], row["event_date_precision"]) for row in rows} == {
        (dt.date(2019, 11, 20), dt.date(2019, 11, 20), "day")
    }


def test_without_any_stated_day_the_incident_falls_in_the_week_before_publication(extractor: Extractor):
    rows = list(extractor.extract([segment("Gunmen attacked a checkpoint. Four guards were killed.")]))
    assert {(row["event_date"], row["event_date_end"], row["event_date_precision"]) for row in rows} == {
        (STORY_DATE - dt.timedelta(days=6), STORY_DATE, "week")
    }


# -- one victim named without a number, and crime-news wording ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Masked men shot and killed a shopkeeper outside his store.", {("killed", None, 1)}),
        ("A man was killed and three others were wounded at a party.", {("killed", None, 1), ("injured", None, 3)}),
        ("The victim was shot to death in a parking lot.", {("killed", None, 1)}),
        ("He was pronounced dead at the scene.", {("killed", None, 1)}),
        ("A 19-year-old man was shot in the arm.", {("injured", None, 1)}),
        ("Two brothers were shot dead and a woman was wounded.", {("killed", None, 2), ("injured", "women", 1)}),
        ("A deputy was gunned down during a traffic stop.", {("killed", "security_forces", 1)}),
        ("Militants fired on and killed Corporal Ivo Marlin near the bridge.", {("killed", None, 1)}),
        ("The gunman was shot by officers and died later.", {("killed", "perpetrators", 1)}),
    ],
)
def test_one_victim_named_without_a_number_counts_one(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nobody was killed in the blast at the warehouse.",
        "The air force said 40 of them were shot down over the sea.",
        "The council killed the proposal after a long debate.",
        "Neighbours said a shot was fired into the air.",
        "He threatened to kill a witness.",
        # An attempt names its target, no victim.
        "A gunman tried to kill the mayor outside his home on Monday.",
        "Two men attempted to kill a police officer, but he was unhurt.",
        # An intent quoted from a witness: 'going to', 'gonna'.
        'She said he grabbed her and told her he was going to kill her.',
        '"He was gonna kill us all," a neighbour said.',
    ],
)
def test_no_victim_no_figure(extractor: Extractor, text: str) -> None:
    assert list(extractor.extract([segment(text)])) == []


def test_a_victim_going_somewhere_is_a_victim(extractor: Extractor) -> None:
    rows = extractor.extract([segment("A man going to work was shot dead in Dayton.")])
    assert figures(rows) == {("killed", None, 1, "exact")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 'another' after a death adds to no count of wounded: one wounded of his own.
        (
            "On Monday, in Kunar, Afghanistan, a village elder was killed when militants fired on his car. Another guard was wounded in the attack.",
            {("killed", None, 1), ("injured", "security_forces", 1)},
        ),
        ("Militants fired on the workers, killing four miners and injuring another miner.", {("killed", None, 4), ("injured", None, 1)}),
        # After a count of its own kind it is one more of that count, which stays the figure.
        ("Three soldiers were wounded on Monday. Another soldier was wounded on Tuesday.", {("injured", "military", 3)}),
    ],
)
def test_another_victim_of_a_kind_none_came_before_is_one(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    "text",
    [
        # Whoever sustains injuries is a person, whatever the noun.
        "03/14/2011: On Monday, in Shillong, India, militants threw a petrol bomb into a newspaper office. A typesetter sustained minor injuries.",
        # A past tense the tagger took for a participle: the object right after it is its victim.
        "03/14/2011: On Monday, in Yala, Thailand, two militants on a motorcycle injured an elderly farmer in a drive-by shooting.",
        "03/14/2011: On Monday, in Yala, Thailand, militants on a motorcycle seriously injured a village guard in a drive-by shooting.",
    ],
)
def test_one_wounded_person_named_without_a_number(extractor: Extractor, text: str) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert [(row["casualty_type"], row["value"]) for row in rows] == [("injured", 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Whatever the verb, its object put 'to death' died.
        ("On Friday, in Mahas, Hiiraan, Somalia, militants stoned a thief to death in the market.", {("killed", None, 1)}),
        ("On Friday, in Rio Vista, Texas, United States, three men used a pipe wrench to beat a neighbour to death.", {("killed", None, 1)}),
        # The attacker the parse hung the participle on is no victim: the object after 'to death' is.
        (
            "On Tuesday night, along Main Avenue near the bus station in Manila, Philippines, an unidentified militant "
            "hacked to death a police officer, Jose Cruz, while he was on patrol.",
            {("killed", "security_forces", 1)},
        ),
        # A sentence is no death.
        ("On Friday, in Mahas, Somalia, the court sentenced him to death.", set()),
    ],
)
def test_put_to_death(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A beating or an assault wounds the people it names.
        ("On Monday, in Rampur, Bihar, India, militants set fire to a shop and beat up its owner.", {("injured", None, 1)}),
        ("On Monday, in Rampur, Bihar, India, about 30 militants assaulted two teachers of a village school.", {("injured", None, 2)}),
        ("On Monday, in Rampur, Bihar, India, a mob captured and mauled a man who had planted a bomb.", {("injured", None, 1)}),
        # A flogging in public is a beating.
        ("On Monday, in Zinjibar, Abyan, Yemen, militants publicly flogged three men accused of theft.", {("injured", None, 3)}),
        # The participle conjoined to a verb with an object is active: the militants are the attackers.
        ("On Monday, in Rampur, Bihar, India, 20 militants assaulted and injured three road workers.", {("injured", None, 3)}),
        # Not a person: a place or a group assaulted counts no one.
        ("On Monday, in Kunar, Afghanistan, militants assaulted a police checkpoint with rockets.", set()),
        ("On Monday, in Rampur, Bihar, India, militants assaulted a team of party activists.", set()),
    ],
)
def test_beatings_and_assaults_wound_the_people_they_name(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    "text",
    [
        # 'both of' a plural pronoun or of people, and 'both' before any noun a victim may be, are two.
        "On Monday, in Yala, Thailand, a bomb hit a car carrying a teacher and his wife, wounding both of them.",
        "On Monday, in Yala, Thailand, gunmen fired on two monks walking to the temple, injuring both of the monks.",
        "On Monday, in Yala, Thailand, a bomb went off as two fruit sellers rode past; both fruit sellers were injured.",
    ],
)
def test_both_of_them_are_two_victims(extractor: Extractor, text: str) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert [(row["casualty_type"], row["value"]) for row in rows] == [("injured", 2)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Parsed as the member identifying: the victim is the noun ', identified as' names.
        (
            "05/10/2011: On Tuesday morning, in Kurtha, Jehanabad, Bihar, India, a local leader of the Janata Dal, "
            "identified as Suresh Prasad, was shot and killed by suspected Maoist rebels outside a temple.",
            ("killed", 1),
        ),
        # The noun phrase before the comma, its place read as the lead's.
        (
            "05/10/2011: On Tuesday morning, near the bus station in Nepalgunj, Banke, Bheri, Nepal, a driver of "
            "the bus company in Nepalgunj, identified as Hari Thapa, was shot and wounded by two men on a motorcycle.",
            ("injured", 1),
        ),
    ],
)
def test_a_victim_identified_as_a_name_is_the_passive_subject(extractor: Extractor, text: str, expected: tuple) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert [(row["casualty_type"], row["value"]) for row in rows] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A list of objects the parse broke apart, read from its words.
        (
            "07/02/2011: On Saturday evening, in Galkayo, Mudug, Somalia, gunmen ambushed the convoy of the mayor of "
            "the district, Abdi Warsame, killing the mayor, three guards and one bystander.",
            5,
        ),
        # Names and descriptions say who the listed people were: they are no more people.
        (
            "07/02/2011: On Saturday night, in Nazran, Ingushetia, Russia, masked gunmen armed with pistols fired on "
            "and killed Ibragim Tsechoev, the deputy chief of the town road agency, his son, Adam, his cousin, Musa, "
            "and his driver, police lieutenant Zaur Ozdoev.",
            4,
        ),
        # Places after the victim's own place are no list.
        ("05/10/2011: On Friday, in Kandahar, Afghanistan, a bomb killed the civilian in Spin Boldak, Kandahar, Afghanistan.", 1),
    ],
)
def test_a_list_of_victims_the_parse_broke_apart_is_read_from_its_words(extractor: Extractor, text: str, expected: int) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert max(row["value"] for row in rows if row["casualty_type"] == "killed") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Ranks, offices and trades a victim is named by are words for people, in the plural too.
        ("On Tuesday, in Quetta, Balochistan, Pakistan, three attackers stopped a rickshaw and shot and killed a police sub-inspector and his brother.", 2),
        ("On Tuesday, in Peshawar, Pakistan, a roadside bomb killed a district governor and two other officials.", 3),
        # A count out of the people just counted is a part of them.
        ("On Monday, in Baghdad, Iraq, a bomb went off in a market, killing five civilians, two of them shop owners, and wounding six others.", 5),
    ],
)
def test_victims_named_by_rank_office_or_trade(extractor: Extractor, text: str, expected: int) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert max(row["value"] for row in rows if row["casualty_type"] == "killed") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # After a death, 'another' and 'N more' wounded are other people, with no auxiliary of their own.
        ("One guard was killed, another wounded, and two cars were burned in the attack.", 1),
        ("At least one soldier was killed and four more wounded in the blast.", 4),
        # A passive with its own auxiliary has its own subject, wherever the parse hung it.
        ("A police officer was killed in the ambush and another officer of the patrol was wounded.", 1),
        ("When the grenade exploded her brother was injured.", 1),
    ],
)
def test_the_wounded_beside_a_death_have_their_own_subject(extractor: Extractor, text: str, expected: int) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert [row["value"] for row in rows if row["casualty_type"] == "injured"] == [expected]


def test_victims_listed_as_killed_are_a_toll_beside_attackers_others_killed(extractor: Extractor) -> None:
    # The attacker police shot is none of the people listed as killed: their count is a toll
    # reconciliation adds him to, not victims named one by one that might name him again.
    text = (
        "On Sunday, in Van, Turkey, gunmen fired upon a group of teachers. A school principal and his wife were killed "
        "while four other teachers were injured. One gunman was killed as police returned fire."
    )
    rows = list(extractor.extract([segment(text)]))
    killed = {(row["victim_group"], row["value"], row["counts_named_victims"]) for row in rows if row["casualty_type"] == "killed"}
    assert killed == {(None, 2, False), ("perpetrators", 1, False)}


def _parsed(rows: list[tuple[str, str, str, str, int]]) -> Doc:
    """A doc with the parse given, word by word: (word, tag, pos, dep, head)."""
    words, tags, pos, deps, heads = zip(*rows)
    return Doc(spacy.blank("en").vocab, words=list(words), tags=list(tags), pos=list(pos), deps=list(deps), heads=list(heads))


def test_a_name_after_the_words_of_one_person_names_him() -> None:
    # The parse hangs the comma on the noun's last word and the name on the verb: 'a member of
    # parliament, John Doe' is one person, and so is 'the Director of the Office, John Doe'.
    member = _parsed([
        ("Gunmen", "NNS", "NOUN", "nsubj", 1), ("killed", "VBD", "VERB", "ROOT", 1), ("a", "DT", "DET", "det", 3),
        ("member", "NN", "NOUN", "dobj", 1), ("of", "IN", "ADP", "prep", 3), ("parliament", "NN", "NOUN", "pobj", 4),
        (",", ",", "PUNCT", "punct", 5), ("John", "NNP", "PROPN", "compound", 8), ("Doe", "NNP", "PROPN", "dobj", 1),
    ])
    assert PersonWords.names_the_one_before(member[3], member[8])
    director = _parsed([
        ("the", "DT", "DET", "det", 1), ("Director", "NNP", "PROPN", "nsubjpass", 8), ("of", "IN", "ADP", "prep", 1),
        ("the", "DT", "DET", "det", 4), ("Office", "NNP", "PROPN", "pobj", 2), (",", ",", "PUNCT", "punct", 1),
        ("John", "NNP", "PROPN", "compound", 7), ("Doe", "NNP", "PROPN", "conj", 1), ("killed", "VBN", "VERB", "ROOT", 8),
    ])
    assert PersonWords.names_the_one_before(director[1], director[7])
    # 'a member and John Doe' are two.
    two = _parsed([
        ("a", "DT", "DET", "det", 1), ("member", "NN", "NOUN", "nsubjpass", 5), ("and", "CC", "CCONJ", "cc", 1),
        ("John", "NNP", "PROPN", "compound", 4), ("Doe", "NNP", "PROPN", "conj", 1), ("killed", "VBN", "VERB", "ROOT", 5),
    ])
    assert not PersonWords.names_the_one_before(two[1], two[4])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Burns wound: the owner of the hands a device burned, and whoever suffered burns.
        ("On Friday, in Lyon, France, a parcel sent to the tax office caught fire when opened and burned the clerk's hands.", 1),
        ("On Friday, in Herat, Afghanistan, a man threw acid at a school teacher. The teacher suffered severe burns to her face and hands.", 1),
        # Burned things are no one.
        ("On Friday, in Gaya, Bihar, India, militants burned a tractor and two trucks of a road building firm.", 0),
    ],
)
def test_burns_wound(extractor: Extractor, text: str, expected: int) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert sum(row["value"] for row in rows if row["casualty_type"] == "injured") == expected


def test_one_wounded_after_being_shot_is_the_subject_of_the_main_clause(extractor: Extractor) -> None:
    text = "On Friday, in Quetta, Pakistan, the driver of a fuel tanker, John Doe, drove on for a mile after being shot and wounded by gunmen on motorcycles."
    rows = list(extractor.extract([segment(text)]))
    assert [(row["casualty_type"], row["value"], row["value_text"]) for row in rows] == [("injured", 1, "the driver")]


def test_attackers_before_an_outcome_phrase_and_its_object_are_no_victims(extractor: Extractor) -> None:
    # Read as 'militants (who were) hacked to death', the range would count six attackers dead;
    # the determiner after 'to death' starts the object of an active verb.
    text = "On Friday, in Rampur, Khammam, Andhra Pradesh, India, four to six militants hacked to death a village headman, Ravi Kumar, outside his house."
    rows = list(extractor.extract([segment(text)]))
    assert not any(row["victim_group"] == "perpetrators" or row["value"] == 6 for row in rows)


def test_one_more_victim_adds_to_the_toll_the_sentence_states(extractor: Extractor) -> None:
    text = "The toll rose to six after a driver died in hospital, and a third victim died in an ambulance."
    rows = list(extractor.extract([segment(text)]))
    assert [(row["casualty_type"], row["value"]) for row in rows] == [("killed", 6)]

# -- hostile input ---------------------------------------------------------------------

FILLER_CLAUSE = "officials said the shelling went on for hours near the river; "
FIGURE_CLAUSE = "at least 12 people were killed in Kharkiv on Monday, the governor said; "


def semicolon_paragraph(characters: int) -> str:
    """One paragraph of clauses ending in ';', with a figure in its middle and no sentence end to cut at."""
    half = FILLER_CLAUSE * (characters // (2 * len(FILLER_CLAUSE)))
    return half + FIGURE_CLAUSE + half


def test_a_paragraph_without_sentence_ends_is_cut_into_pieces_spacy_takes() -> None:
    from casualties.extract import MAX_PIECE_CHARS

    text = "Short first paragraph.\n" + semicolon_paragraph(2_100_000) + "\nA last one."
    spans = list(paragraph_spans(text))
    assert max(end - start for start, end in spans) <= MAX_PIECE_CHARS
    assert all(text[start:end] == text[start:end].strip() for start, end in spans)
    assert "".join(text[start:end] for start, end in spans).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert any(FIGURE_CLAUSE.strip() in text[start:end] for start, end in spans)


def test_a_story_longer_than_spacy_takes_is_extracted_with_offsets_into_it(extractor: Extractor) -> None:
    text = semicolon_paragraph(1_100_000)
    assert len(text) > extractor.nlp.max_length
    rows = list(extractor.extract([segment(text)]))
    assert figures(rows) == {("killed", None, 12, "at_least")}
    row = rows[0]
    assert text[row["value_start"]:row["value_end"]] == row["value_text"]
    assert text[row["char_start"]:row["char_end"]] == row["sentence"]


def test_a_story_that_fails_is_named_and_the_others_are_extracted(extractor: Extractor) -> None:
    failures: list[tuple[str, str]] = []
    # A segment without text stands for any story the extractor cannot take.
    stories = [segment(ODESA_STORY, "a-0"), segment(None, "b-0"), segment(ODESA_STORY, "c-0")]  # type: ignore[arg-type]
    rows = list(extractor.extract(stories, failed=lambda story_id, reason: failures.append((story_id, reason))))
    assert {row["story_id"] for row in rows} == {"a-0", "c-0"}
    assert len(rows) == 2 * len(list(extractor.extract([segment(ODESA_STORY)])))
    assert [story_id for story_id, _ in failures] == ["b-0"] and failures[0][1].startswith("TypeError")
    with pytest.raises(TypeError):
        list(extractor.extract(stories))


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("Four guards and a driver were killed when the convoy was ambushed.", 5),
        ("The man killed her and two other people before he fled.", 3),
        ("Police said Ann Vell, Bo Rask and Cy Dunn were found dead in the house.", 3),
        ("A man and a woman were shot and wounded outside the bar.", 2),
    ],
)
def test_victims_listed_together_add_up(extractor: Extractor, text: str, total: int) -> None:
    rows = list(extractor.extract([segment(text)]))
    totals = [row for row in rows if row["victim_group"] is None]
    assert [row["value"] for row in totals] == [total]
    assert totals[0]["counts_named_victims"] is True


def test_a_stated_toll_is_no_count_of_named_victims(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("Five people were killed in the blast.")]))
    assert [(row["value"], row["counts_named_victims"]) for row in rows] == [(5, False)]


def test_an_attacker_killing_himself_is_a_perpetrator_beside_the_toll(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("The man shot four neighbours dead before killing himself.")]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == {
        ("killed", None, 4),
        ("killed", "perpetrators", 1),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The parse hangs the victims in the list of places; the words still say who died.
        (
            "On Friday, in the Marsh district of Lorvale, Brenland, Estovia, four guards and one driver were killed when gunmen attacked.",
            {("killed", "security_forces", 4), ("killed", None, 5)},  # the driver is counted in the total only
        ),
        ("The blast killed two women, three children and four men.", {("killed", "women", 2), ("killed", "children", 3), ("killed", None, 9)}),
        ("Gunmen killed 14 people, including six children and two women.", {("killed", None, 14), ("killed", "children", 6), ("killed", "women", 2)}),
        ("Attackers shot and killed an elderly couple at their farm.", {("killed", None, 2)}),
        ("Raiders hacked to death a village guard.", {("killed", "security_forces", 1)}),
        ("Ivo Marl, 60, and Cy Dunn, 26, died at the scene.", {("killed", None, 2)}),
        # Each item with a casualty word of its own: two counts, no list.
        ("Army: 3 soldiers killed, 9 others injured in shelling", {("killed", "military", 3), ("injured", None, 9)}),
        # Each shot: one list of the wounded.
        ("Other victims included a 38-year-old woman shot in the leg, a 37-year-old man shot in the hand and a 19-year-old man.", {("injured", None, 3)}),
    ],
)
def test_lists_of_victims_add_up_and_breakdowns_do_not(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected

def test_a_figure_with_no_place_takes_the_one_city_its_story_names(extractor: Extractor) -> None:
    one_city = segment(
        "A 24-year-old man was shot and killed late Saturday, police said.\n\n"
        "Police in Dayton, Ohio, asked anyone with information to call detectives.",
        story_id="city-0",
    )
    [row] = extractor.extract([one_city])
    assert (row["location"], row["location_precision"], row["country_code"]) == ("Dayton", "city", "US")
    # A story naming two cities does not say which one the figure belongs to: the one
    # state holding both does.
    two_cities = segment(
        "A 24-year-old man was shot and killed late Saturday, police said.\n\n"
        "Police in Dayton, Ohio, asked agents in Cincinnati, Ohio, for help.",
        story_id="cities-0",
    )
    [row] = extractor.extract([two_cities])
    assert (row["location_precision"], row["country_code"], row["admin1"]) == ("region", "US", "OH")


# -- headline grammar ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # No auxiliary: the subject of a bare 'killed' is the victims, not the killers.
        ("Three border guards killed in night raid on frontier post", {("killed", "security_forces", 3)}),
        ("Two miners killed, five hurt in tunnel blast - officials", {("killed", None, 2), ("injured", None, 5)}),
        # No article: one person named by a bare noun.
        ("Villager killed by stray shell near border", {("killed", None, 1)}),
        ("Roadside bomb kills local journalist", {("killed", "journalists", 1)}),
        # A country's name between number and noun.
        ("Seven Kenya soldiers killed in ambush near lake", {("killed", "military", 7)}),
        # Conjoined verbs share their object: the rebels are the killers.
        ("Rebels shot and killed a farmer near the dam", {("killed", None, 1)}),
        # A collective noun counts no one person.
        ("Security personnel killed in ambush near the pass", set()),
        # A present-tense verb right before the count governs it, however the parse read the subject.
        ("Army's shelling kills six in one week - Tessa command", {("killed", None, 6)}),
        ("Shelling kills five in Tessa village", {("killed", None, 5)}),
    ],
)
def test_headline_grammar(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text, kind="headline")]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


# -- running totals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "aggregate"),
    [
        ("More than 4,000 people have been shot in the city this year, police said.", True),
        ("Some 13,000 people have died since the war broke out in the east.", True),
        ("Since last year 30 border guards have been killed in the province.", True),
        # Compared with the war, not counted over it: the attack's own toll.
        ("The blast was the deadliest attack since the war began, killing 31 people.", False),
        ("The army launched its heaviest assault this year, killing at least 12 people.", False),
        # A date within the year, not a total over it.
        ("A woman who was shot earlier this year testified on Monday.", False),
        # The period bounds every casualty word it is conjoined with.
        ("So far this year 85 people have been wounded or killed by gunfire in the county.", True),
        ("Three guards were killed in the raid on Monday, officials said.", False),
        # A city's tally over the days since a weekday, or of its shootings across it: every
        # count of the sentence is a part of it.
        ("At least 20 people have been shot, three of them fatally, across the city since Friday evening, police said.", True),
        ("Police said 30 people had been shot since Thursday night, five of them fatally.", True),
        ("Man Killed, Four Wounded in Shootings Since Saturday Night", True),
        ("Police: 6 Dead, 20 Wounded In Weekend Shootings Across Detroit", True),
        # One incident's toll rising since its day, and a day of something else.
        ("Three people have died since Monday's shooting at the mall.", False),
        ("Two more people have died since Monday, the hospital said.", False),
        ("A man who had been in hospital since Sunday died of his wounds.", False),
        ("Police have been searching for the gunman since Friday, when he shot three people.", False),
        ("A gunman killed five people in a shooting spree across the county.", False),
    ],
)
def test_running_totals_are_marked(extractor: Extractor, text: str, aggregate: bool) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert rows or not aggregate
    assert [row["is_aggregate"] for row in rows] == [aggregate] * len(rows)


def rows_dated(extractor: Extractor, text: str) -> list[tuple[int | None, dt.date | None, dt.date | None, str | None]]:
    return [
        (row["value"], row["event_date"], row["event_date_end"], row["event_date_basis"])
        for row in extractor.extract([segment(text)])
    ]


def test_a_day_the_lead_names_dates_figures_whose_sentences_name_none(extractor: Extractor) -> None:
    text = "Gunfire broke out at a birthday party in Dayton early Sunday.\n\nFour people were wounded, police said."
    assert rows_dated(extractor, text) == [(4, dt.date(2025, 6, 8), dt.date(2025, 6, 8), "text")]


def test_a_day_something_was_said_or_done_later_is_not_the_incident_day(extractor: Extractor) -> None:
    publication_week = (STORY_DATE - dt.timedelta(days=6), STORY_DATE, "publication")
    said = "Police said Thursday they had arrested a suspect.\n\nTwo people were wounded in the shooting at a bar in Dayton."
    assert rows_dated(extractor, said) == [(2, *publication_week)]
    arrested = "A man was arrested Tuesday in the shooting that wounded three people outside a bar in Dayton."
    assert rows_dated(extractor, arrested) == [(3, *publication_week)]
    # The search or investigation that follows an incident is under way on a later day.
    investigation = "An investigation was underway Thursday on a Dayton road.\n\nA man was shot dead there, police said."
    assert rows_dated(extractor, investigation) == [(1, *publication_week)]
    # The older spelling in two words.
    search = "The hunt for the driver was under way Thursday near a Dayton overpass.\n\nA man was shot dead there, police said."
    assert rows_dated(extractor, search) == [(1, *publication_week)]
    searching = "Police were searching Friday for the gunman.\n\nTwo men were wounded outside a Dayton bar."
    assert rows_dated(extractor, searching) == [(2, *publication_week)]


def test_a_day_a_court_heard_the_case_is_not_the_incident_day(extractor: Extractor) -> None:
    publication_week = (STORY_DATE - dt.timedelta(days=6), STORY_DATE, "publication")
    appeared = "A Dayton teen appeared in court Monday.\n\nDeputies say he wounded two men outside a bar."
    assert rows_dated(extractor, appeared) == [(2, *publication_week)]
    verdict = "A Dayton man was found guilty, Wednesday afternoon.\n\nHe shot three people outside a bar."
    assert rows_dated(extractor, verdict) == [(3, *publication_week)]
    hearing = "At a bond hearing Friday, prosecutors described the case.\n\nTwo men were wounded outside a Dayton bar."
    assert rows_dated(extractor, hearing) == [(2, *publication_week)]
    # A court with neither a preposition nor a kind of court before it is where it happened.
    sunday = (dt.date(2025, 6, 8), dt.date(2025, 6, 8), "text")
    playground = "Gunfire broke out on a basketball court Sunday.\n\nTwo men were wounded in Dayton, police said."
    assert rows_dated(extractor, playground) == [(2, *sunday)]
    street = "Gunfire broke out on Maple Court Sunday.\n\nTwo men were wounded in Dayton, police said."
    assert rows_dated(extractor, street) == [(2, *sunday)]
    district = "A Dayton man appeared in District Court Monday.\n\nDeputies say he wounded two men outside a bar."
    assert rows_dated(extractor, district) == [(2, *publication_week)]


def test_a_follow_up_dates_its_figures_by_the_day_it_gives_its_incident(extractor: Extractor) -> None:
    april_19 = (dt.date(2025, 4, 19), dt.date(2025, 4, 19), "text")
    court = (
        "A judge set bail Thursday for the man charged in the April 19 fatal shooting outside a bar in Dayton.\n\n"
        "One man was killed and two were wounded."
    )
    assert rows_dated(extractor, court) == [(1, *april_19), (2, *april_19)]
    october_3 = (dt.date(2023, 10, 3), dt.date(2023, 10, 3), "text")
    trial = "Jurors on Friday heard from witnesses to the Oct. 3, 2023, shooting at a Dayton bar.\n\nOne man was killed."
    assert rows_dated(extractor, trial) == [(1, *october_3)]
    named_late = (
        "A Dayton man appeared in court Thursday.\n\nThree people were wounded outside the bar.\n\n"
        "The judge refused bail.\n\nHe is charged in the Oct. 3, 2023, shooting."
    )
    assert rows_dated(extractor, named_late) == [(3, *october_3)]
    told_when = (
        "A Dayton man appeared in court Thursday.\n\nThree people were wounded outside the bar.\n\n"
        "The judge refused bail.\n\nThe shooting happened outside a bar on Main Street on March 8."
    )
    assert rows_dated(extractor, told_when) == [(3, dt.date(2025, 3, 8), dt.date(2025, 3, 8), "text")]
    # The pronoun a follow-up uses for the incident its lead has already named.
    told_by_pronoun = (
        "A Dayton father was charged Friday after his son accidentally shot and killed his little brother.\n\n"
        "It happened on April 26 at the family's apartment."
    )
    assert rows_dated(extractor, told_by_pronoun) == [(1, dt.date(2025, 4, 26), dt.date(2025, 4, 26), "text")]


def test_a_death_so_many_years_ago_is_an_earlier_incident_cited(extractor: Extractor) -> None:
    text = "Two men were wounded in a shooting outside a Dayton bar on Friday.\n\nThe owner's son was killed at the same bar two years ago."
    rows = extractor.extract([segment(text)])
    assert [(row["casualty_type"], row["value"], row["is_historical"]) for row in rows] == [("injured", 2, False), ("killed", 1, True)]


def test_an_incident_the_reported_one_answered_is_an_earlier_one_cited(extractor: Extractor) -> None:
    def read(text: str) -> list[tuple[str, int | None, dt.date | None, bool]]:
        rows = extractor.extract([segment(text)])
        return [(row["casualty_type"], row["value"], row["event_date"], row["is_historical"]) for row in rows]

    friday = dt.date(2025, 6, 13)
    retaliation = (
        "On Saturday night, a rocket hit a house in Sderot. A child was wounded by glass. The group said "
        "the rocket was fired in retaliation for Friday's air strike which killed two of its fighters."
    )
    # Nor is the day of the strike answered the day of the rocket the story reports.
    assert read(retaliation) == [("injured", 1, STORY_DATE, False), ("killed", 2, friday, True)]
    revenge = "Gunmen shot dead a village chief in Pattani on Saturday. Police said it was revenge for the killing of three rebels on Thursday."
    assert read(revenge) == [("killed", 1, STORY_DATE, False), ("killed", 3, dt.date(2025, 6, 12), True)]
    # The reported attack's own victims, beside the incident it answered or named by the motive.
    avenging = "Militants bombed a bus in Quetta on Saturday, killing four people, to avenge the shooting of a commander."
    assert read(avenging) == [("killed", 4, STORY_DATE, False)]
    assert read("A retaliation shooting on Saturday killed two men in Dayton.") == [("killed", 2, STORY_DATE, False)]


def test_an_answered_incident_ends_at_a_verb_where_no_parse_read_the_paragraph(extractor: Extractor) -> None:
    def attack_kinds(lead: str) -> list[tuple[int | None, str | None, bool]]:
        rows = extractor.extract([segment(lead + "\n\nThree people were killed, officials said.")])
        return [(row["value"], row["attack_kind"], row["is_historical"]) for row in rows]

    # A lead with no casualty word is not parsed; its auxiliary still opens another clause.
    assert attack_kinds("Revenge for them was behind a drone attack on Kharkiv late Thursday.") == [(3, "drone attack", False)]
    # The attack named just after the motive is the one answered: it lends the toll no kind.
    assert attack_kinds("It was revenge for a drone attack on Kharkiv late Thursday.") == [(3, None, False)]
    # Neither a participle standing in the answered attack's name nor a month written like a
    # modal opens another clause.
    assert attack_kinds("It was revenge for an alleged drone attack on Kharkiv late Thursday.") == [(3, None, False)]
    assert attack_kinds("It was retaliation for the reported drone attack on Kharkiv late Thursday.") == [(3, None, False)]
    assert attack_kinds("It was revenge for their attempted drone attack on Kharkiv late Thursday.") == [(3, None, False)]
    assert attack_kinds("It was revenge for the May 2 drone attack on Kharkiv.") == [(3, None, False)]
    # A modal or copula does, in lower case or in capitals: the attack after it is the reported one.
    assert attack_kinds("Revenge for them may explain a drone attack on Kharkiv late Thursday.") == [(3, "drone attack", False)]
    assert attack_kinds("Revenge for them Was behind a drone attack on Kharkiv late Thursday.") == [(3, "drone attack", False)]


def test_an_ed_verb_with_its_object_ends_the_answered_incident(extractor: Extractor) -> None:
    # 'reported' with an object of its own is a verb: the raid is the answered incident, the
    # drone attack after the verb is not; 'an alleged drone attack' is the answered one's name.
    for text, answered in (
        ("Revenge for the raid reported Tuesday's drone attack on Kharkiv.", {"raid": True, "attack": False}),
        ("Revenge for the raid claimed a drone attack on Kharkiv.", {"raid": True, "attack": False}),
        ("It was revenge for an alleged drone attack on Kharkiv.", {"attack": True}),
    ):
        doc = extractor.lexicon_pipe(extractor.nlp.make_doc(text))
        index = LexiconIndex(doc, extractor.lexicon)
        assert {doc[head].text: extractor.reader.attacks.is_answered(doc[:], head) for head in index.attacks} == answered


def test_the_day_of_an_incident_the_reported_one_answered_is_not_the_incident_day(extractor: Extractor) -> None:
    sunday = (dt.date(2025, 6, 8), dt.date(2025, 6, 8), "text")
    revenge = "Police said the shooting outside a Dayton bar early Sunday was revenge for the April 19 killing of a friend."
    assert rows_dated(extractor, revenge + "\n\nTwo men were wounded.") == [(2, *sunday)]
    avenge = "Police said the shooting outside a Dayton bar early Sunday was meant to avenge the April 19 killing of a friend."
    assert rows_dated(extractor, avenge + "\n\nTwo men were wounded.") == [(2, *sunday)]
    # A killing named by its day with no motive between is the incident the follow-up is about.
    linked = "Police said the shooting outside a Dayton bar early Sunday was linked to the April 19 killing of a friend."
    assert rows_dated(extractor, linked + "\n\nTwo men were wounded.") == [(2, dt.date(2025, 4, 19), dt.date(2025, 4, 19), "text")]


def test_a_follow_up_gives_its_news_week_or_month_the_day_of_its_incident(extractor: Extractor) -> None:
    april_19 = (dt.date(2025, 4, 19), dt.date(2025, 4, 19), "text")
    hearing_this_week = (
        "A Dayton man faces charges in the April 19 shooting outside a bar.\n\n"
        "A witness testified this week that two men were wounded."
    )
    assert rows_dated(extractor, hearing_this_week) == [(2, *april_19)]
    june_2 = (dt.date(2025, 6, 2), dt.date(2025, 6, 2), "text")
    in_june = "A Dayton man faces charges in the June 2 shooting outside a bar.\n\nTwo men were wounded there in June."
    assert rows_dated(extractor, in_june) == [(2, *june_2)]


def test_a_victim_who_died_later_leaves_the_incident_on_the_day_the_story_gives_it(extractor: Extractor) -> None:
    friday = (dt.date(2025, 6, 13), dt.date(2025, 6, 13), "text")
    pronounced = (
        "A girl was hit by a stray bullet in her bedroom in Dayton.\n\n"
        "She was pronounced dead at 11 a.m. Saturday at a hospital.\n\n"
        "Police said the incident happened Friday night at her home."
    )
    # 'hit by a stray bullet' is a count of one shot, dated as the death is.
    assert rows_dated(extractor, pronounced) == [(1, *friday), (1, *friday)]
    # Two incidents the story names by their days: it does not say which one the death is of.
    two_incidents = (
        "A girl was pronounced dead Saturday at a hospital in Dayton.\n\n"
        "Police linked the June 9 shooting to the June 12 shooting."
    )
    assert rows_dated(extractor, two_incidents) == [(1, STORY_DATE, STORY_DATE, "text")]
    june_9 = (dt.date(2025, 6, 9), dt.date(2025, 6, 9), "text")
    same_sentence = "A man died Friday after being shot on June 9 outside a bar in Dayton."
    assert rows_dated(extractor, same_sentence) == [(1, *june_9)]
    friday = (dt.date(2025, 6, 13), dt.date(2025, 6, 13), "text")
    assert rows_dated(extractor, "A man shot outside a bar in Dayton died Friday at a hospital.") == [(1, *friday)]


def test_a_lead_giving_the_day_a_victim_died_leaves_the_incident_on_the_earlier_day_it_gives(extractor: Extractor) -> None:
    june_8 = (dt.date(2025, 6, 8), dt.date(2025, 6, 8), "text")
    died_later = (
        "Police are investigating the death of a Dayton teen who died on Thursday.\n\n"
        "The teen was hit by a pellet on June 8, police said.\n\n"
        "Officials said the teen died after being hit by a pellet fired from a pellet gun."
    )
    assert rows_dated(extractor, died_later) == [(1, *june_8)]
    # No earlier day given: the day the victim died is the story's.
    thursday = (dt.date(2025, 6, 12), dt.date(2025, 6, 12), "text")
    only_the_death = "A Dayton teen who died on Thursday had been shot in a park.\n\nOfficials said the teen died after being shot by a cousin."
    assert rows_dated(extractor, only_the_death) == [(1, *thursday), (1, *thursday)]


def test_arrests_made_later_leave_the_incident_on_the_day_the_story_gives_it(extractor: Extractor) -> None:
    april_20 = (dt.date(2025, 4, 20), dt.date(2025, 4, 20), "text")
    arrests = (
        "Detectives on Friday arrested three men in the April 20 shooting outside a Dayton bar.\n\n"
        "A woman was killed in the shooting."
    )
    assert rows_dated(extractor, arrests) == [(3, *april_20), (1, *april_20)]


@pytest.mark.parametrize(
    ("text", "names_the_incident"),
    [
        ("Court papers describe Friday's shooting in detail.", True),
        ("The shooting happened near a park on Friday.", True),
        ("The shooting happened around 2 a.m. Sunday on Elm Street.", True),
        ("It happened on Nov. 21 at a home on Elm Street.", True),
        ("Police said it all happened shortly after midnight on Friday.", True),
        ("It rained on Nov. 21.", False),
        ("The attack took place during a strike called to mourn the fighters killed in a raid on 05/02/2025.", False),
        ("He was charged in the May 3 fatal shooting.", True),
        ("He was charged in the Christmas Day shooting.", True),
        ("He appeared in court Friday.", False),
        ("Friday's hearing was short.", False),
        ("On May 3 the shooting suspect was charged.", False),
    ],
)
def test_which_days_a_story_gives_its_incident(extractor: Extractor, text: str, names_the_incident: bool) -> None:
    nouns = frozenset(extractor.lexicon.attacks) | extractor.lexicon.role("dated_incident_noun")
    [mention] = find_date_mentions(text)
    assert dates_the_incident(text, mention, nouns) is names_the_incident


def test_one_figure_one_row(extractor: Extractor) -> None:
    """However many ways a sentence gives a figure (a list, its items, a named victim), the
    same figure of the same sentence is stored once."""
    texts = [
        ODESA_STORY,
        "Four guards and a driver were killed; the four guards and the driver were killed at the gate.",
        "A man was killed. A man was killed and his wife was wounded, police said a man was killed.",
        "Five people were killed, five people in all, police said.",
    ]
    for number, text in enumerate(texts):
        rows = list(extractor.extract([segment(text, story_id=f"one-{number}")]))
        keys = [(row["char_start"], row["casualty_type"], row["victim_group"], row["value"]) for row in rows]
        assert len(keys) == len(set(keys)), text
        assert len({row["mention_id"] for row in rows}) == len(rows)

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Five people were shot at the party, two of whom died in hospital.", {("killed", None, 2), ("injured", None, 3)}),
        ("Four men were shot outside the bar late Friday, three fatally.", {("killed", None, 3), ("injured", None, 1)}),
        ("Police say the man shot six people, killing a 16-year-old girl.", {("killed", None, 1), ("injured", None, 5)}),
        ("Three men were shot, all of them fatally.", {("injured", None, 3)}),  # no count of the dead: the shot stay
        # Another victim in a clause of its own is no part of the count shot.
        ("Three women were shot and a baby was killed.", {("injured", "women", 3), ("killed", "children", 1)}),
        ("Gunmen shot three farmers dead near the well.", {("killed", None, 3)}),
    ],
)
def test_the_wounded_of_a_shooting_are_those_shot_less_the_dead(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In Velm, Brenland, four armed men on motorbikes shot and killed a village guard at his post.", {("killed", "security_forces", 1)}),
        ("Police said Oren Tall, 45 of Marsden, was shot and killed on Friday.", {("killed", None, 1)}),
        ("The two men who died were named as Pell Ard, 33, and Tomas Wey, 29, police said.", {("killed", None, 2)}),
        ("In Velm, 12 were killed when the roof fell.", {("killed", None, 12)}),
    ],
)
def test_attackers_and_ages_are_no_counts_of_victims(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A suicide bomber blew himself up at the gate of the depot, killing nine guards.", {("killed", "security_forces", 9), ("killed", "perpetrators", 1)}),
        ("A suicide bomber detonated his vest among the mourners, killing 14 people.", {("killed", None, 14), ("killed", "perpetrators", 1)}),
        # Nothing states or implies a death of the attackers here.
        ("A suicide bomber set off explosives at the bus station, killing 14 people.", {("killed", None, 14)}),
        ("Militants detonated two bombs near the depot, killing four guards.", {("killed", "security_forces", 4)}),
        # The possessive hung inside a long name of the device.
        (
            "A suicide bomber detonated his vehicle borne improvised explosive device at the gate. Ten guards were killed.",
            {("killed", "security_forces", 10), ("killed", "perpetrators", 1)},
        ),
        ("Two suicide bombers self-detonated near the depot. Nine people were injured.", {("injured", None, 9), ("killed", "perpetrators", 2)}),
        ("Three suicide bombers detonated their vests at the gate, killing 12 people.", {("killed", None, 12), ("killed", "perpetrators", 3)}),
        ("A militant detonated his suicide vest at the gate, wounding four soldiers.", {("injured", "military", 4), ("killed", "perpetrators", 1)}),
        # The parse gave the verb another subject, or none: the suicide attacker named before it set it off.
        (
            "On Monday, in Herat, Afghanistan, a suicide bomber disguised as a policeman detonated his vest at the checkpoint, killing four soldiers.",
            {("killed", "military", 4), ("killed", "perpetrators", 1)},
        ),
        (
            "On Monday, in Herat, Afghanistan, a suicide bomber exchanged fire with the guards before detonating his vest, which killed three guards.",
            {("killed", "security_forces", 3), ("killed", "perpetrators", 1)},
        ),
        # One stopped before the blast set off nothing.
        (
            "A suicide bomber was arrested at the gate before his accomplice detonated his vest, killing two guards.",
            {("killed", "security_forces", 2)},
        ),
    ],
)
def test_a_bomber_killed_by_his_own_device_is_a_perpetrator(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The parser reads the subject after a long lead of places as one more place.
        (
            "03/09/2011: On Wednesday, in Baiji town in Salah ad Din, Iraq, a suicide bomber detonated his explosives "
            "belt in a crowd of farmers, killing 21 and injuring 40 others.",
            {("killed", "perpetrators", 1), ("killed", None, 21), ("injured", None, 40)},
        ),
        (
            "05/14/2011: On Saturday night, in the Mirpur area of Bogra, Rajshahi, Bangladesh, the chairman of the "
            "local union council, Harun Mia, was shot and killed by unidentified militants.",
            {("killed", None, 1)},
        ),
        (
            "06/10/2011: On Friday night, in Quetta, Balochistan, Pakistan, Nasir Baloch, a leader of the Baloch "
            "Students Organization, was shot and killed by unidentified gunmen.",
            {("killed", None, 1)},
        ),
        # The verb read as a modifier of the attackers ('militants shot and killed ...').
        (
            "07/02/2011: On Saturday evening around 1900, along Rizal Street, Barangay (village) Poblacion of Panabo "
            "City, Davao del Norte, Philippines, two unidentified militants shot and killed a village councilor, "
            "identified as Ramon Cruz.",
            {("killed", None, 1)},
        ),
        # The parser takes a region of the lead for the subject and hangs the attacker on it.
        (
            "04/02/2011: On Tuesday, in Dujail, Salah ad Din, Iraq, a young male suicide bomber in a van detonated "
            "his explosives vest at a checkpoint. Three soldiers were killed.",
            {("killed", "perpetrators", 1), ("killed", "military", 3)},
        ),
        # A subject the parser found stays the subject: the gunmen are no victims.
        ("On Friday, in Kandahar city, Kandahar, Afghanistan, two gunmen killed a shopkeeper.", {("killed", None, 1)}),
        # A reduced relative clause has no object: the soldiers are its victims.
        ("07/02/2011: On Saturday, in Jolo, Sulu, Philippines, two soldiers killed in a clash with rebels were buried.", {("killed", "military", 2)}),
    ],
)
def test_the_subject_after_a_lead_of_places_is_the_verbs(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    "text",
    [
        "06/20/2011: On Monday around 1200 noon, at a farm in Cotabato, Maguindanao, Philippines, a boy identified as "
        "John Doe was killed when suspected militants detonated an improvised explosive device.",
        "08/24/2011: On Wednesday around 1200 noon, on Rizal Street of Lipa City in Batangas, Philippines, a village "
        "watchman, identified as John Doe, was shot and killed by an unidentified gunman.",
    ],
)
def test_a_time_of_day_is_no_count(extractor: Extractor, text: str) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["value"]) for row in rows} == {("killed", 1)}


def test_a_place_of_the_lead_read_as_the_subject_gives_the_verb_back_its_subject(extractor: Extractor) -> None:
    text = (
        "04/02/2011: On Tuesday, in Herat city, Herat province, Afghanistan, an unknown militant detonated a suicide "
        "vehicle-borne improvised explosive device near a bank. Three soldiers were killed."
    )
    rows = list(extractor.extract([segment(text)]))
    assert {(row["victim_group"], row["value"], row["value_text"]) for row in rows} == {
        ("perpetrators", 1, "an unknown militant"),
        ("military", 3, "Three soldiers"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The parse makes two objects of one list.
        ("Gunmen fired on the convoy, killing the judge, two body guards and one driver.", 4),
        # The parse hangs the number on the verb.
        ("Militants opened fire on the vehicle of the mayor, wounding him and two of his bodyguards.", 3),
        ("A village chief was shot and killed by gunmen along with his wife and son.", 3),
        ("Rahim, a district official, was killed along with four others.", 5),
        # 'along with' set off after the subject, before the casualty word.
        ("The tribal elder Ali Musa along with one of his guards was wounded in the attack.", 2),
        ("The mayor, along with his driver, a clerk and a councillor, were wounded in the attack.", 4),
        # A noun with no article is one person where its name follows it.
        ("Deputy mayor, John Doe, was killed along with two of his guards in the market.", 3),
        # A party's name between the number and the people it counts.
        ("On Monday, two Jamaat Islami Chhatra Shibir (JICS) cadres were shot and killed by gunmen.", 2),
        # 'shot' takes no object from a verb of another kind: the house is no victim.
        ("Three gunmen entered a house and shot and killed a shopkeeper and his son.", 2),
        # The first one's name set off by commas is no one more, and the list may hang on it.
        ("A bomber detonated his vest, killing the district governor, John Smith, his two bodyguards and three civilians.", 6),
        ("Gunmen opened fire, killing the police chief of the province, John Smith and two other police officers.", 3),
        # The last item, after ', and', hung on the verb.
        ("Gunmen shot and killed the village chief, and his wife while they were driving home.", 2),
        ("Gunmen fired upon and killed the party chairman of the district, Ali Musa, and his son at his home.", 2),
        # After a name, a noun with a possessive is one more person, and the list hangs on it.
        ("Gunmen opened fire on the car, killing Ahmed Khan, his brother Ali and a passer-by.", 3),
        # After a name's description, a count or an item set off by ', and' is more people.
        ("Omar Said, the village elder, and two more victims were killed in the attack.", 3),
        ("Gunmen shot and killed Omar, the son of the mayor, and Ali Khan, a professor of law, on the road.", 2),
        # Subjects the parse split: the items after ', and'.
        ("Farid Khan, head of the local council, and his cousin were killed when gunmen fired on their car.", 2),
        ("A teacher, Ali Omar, and his friend were killed when gunmen opened fire on their car.", 2),
    ],
)
def test_victims_listed_as_objects_add_up(extractor: Extractor, text: str, expected: int) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert max(row["value"] for row in rows if row["victim_group"] is None) == expected
    assert len({row["casualty_type"] for row in rows}) == 1


def test_a_list_with_at_least_a_count_adds_up_to_at_least_its_total(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("A car bomb killed the driver and at least three other people.")]))
    assert figures(rows) == {("killed", None, 4, "at_least")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Nouns joined to a name's description say more of who he was.
        ("Gunmen killed Ali Omar, a teacher and member of the council, outside his home.", 1),
        ("Gunmen killed Ali Omar, the deputy head of the agency the Security Directorate, on Monday.", 1),
        # Two roles sharing one article and naming whose they are: one person.
        ("Gunmen shot and killed a cadre and former bodyguard of the party leader, Ali Khan.", 1),
        ("A gunman shot and killed former party activist and employee of the Water Board, Hasan Ali.", 1),
        ("Gunmen shot and killed a man and woman near the market.", 2),
        # 'and' after a phrase that ends the victim's words may name a street corner.
        ("A man injured in a shooting at 22nd and Elm has died.", 1),
        # A list after 'including' breaks the count down.
        ("Seven civilians including two men, three children and two women were killed.", 7),
    ],
)
def test_a_description_is_no_more_victims(extractor: Extractor, text: str, expected: int) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert max(row["value"] for row in rows if row["casualty_type"] == "killed") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Militants cut off the right hand of a young man accused of stealing a goat.", {("injured", None, 1)}),
        ("The fighters chopped off his ear after a court found him guilty.", {("injured", None, 1)}),
        ("His leg was broken by the attackers.", {("injured", None, 1)}),
        # No body part: no one is wounded.
        ("The company cut 40 jobs and cut off the power to 300 homes.", set()),
    ],
)
def test_the_owner_of_a_maimed_body_part_is_wounded(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Army: Two KIA, 5 WIA near the river crossing", {("killed", None, 2), ("injured", None, 5)}),
        ("Police said the gunman fled in a 2012 Kia Optima after the shooting.", set()),
    ],
)
def test_military_abbreviations_count_only_in_capitals(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "On Friday, in Tessa, Brenland, Estovia, eight people including three guards and the village clerk, Ivo Marl, were killed.",
            {("killed", None, 8), ("killed", "security_forces", 3)},
        ),
        ("In Lorvale, Estovia, two farmers, identified as Ivo Marl and Bo Rask, were shot and killed.", {("killed", None, 2)}),
    ],
)
def test_an_aside_between_the_victims_and_their_verb_is_read_past(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    "text",
    [
        "His daughter was shot but survived.",
        "A man suffered a gunshot wound to the leg and is expected to survive.",
        "A high school student survives being shot five times",
        "A man was shot in the leg and is expected to survive.",
    ],
)
def test_people_shot_who_survived_are_the_wounded(extractor: Extractor, text: str) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert [(row["casualty_type"], row["value"], row["counts_all_shot"]) for row in rows] == [("injured", 1, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Struck or hit by gunfire or a bullet is shot: a count of people shot.
        ("A woman was struck by gunfire while sitting on her porch.", {("injured", "women", 1, True)}),
        ("Two bystanders were hit by stray bullets outside the store.", {("injured", None, 2, True)}),
        ("A man was struck in the leg by a bullet.", {("injured", None, 1, True)}),
        ("Three were hit by bullets and one of them died.", {("injured", None, 2, False), ("killed", None, 1, False)}),
        # By anything else, or active, no shooting.
        ("A boy was struck by a car.", set()),
        ("He was hit in the head with a bottle.", set()),
        ("An officer's helmet was struck by gunfire.", set()),
    ],
)
def test_struck_by_gunfire_is_shot(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"], row["counts_all_shot"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # In hospital with wounds, or in a condition: the wounded as well as the hospitalized.
        ("The three victims were hospitalized for injuries that are not life-threatening, officers said.",
         {("hospitalized", 3), ("injured", 3)}),
        ("A woman was killed and four others were hospitalized in serious condition.",
         {("killed", 1), ("hospitalized", 4), ("injured", 4)}),
        ("The other two were taken to a hospital with minor injuries.", {("hospitalized", 2), ("injured", 2)}),
        # Dying there is no wound; a hospital with no wound named says nothing of one.
        ("Two men were taken to a hospital with gunshot wounds, where one of them died.", {("hospitalized", 2), ("killed", 1)}),
        ("Two officers rushed the boy to the hospital, where he was pronounced dead.", {("hospitalized", 2), ("killed", 1)}),
        ("Five people were hospitalized for observation.", {("hospitalized", 5)}),
        # Wounded counted in the sentence already are not counted twice.
        ("Three people were shot and hospitalized in stable condition.", {("injured", 3)}),
    ],
)
def test_people_hospitalized_with_wounds_are_the_wounded(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["value"]) for row in rows} == expected


def test_one_who_suffered_a_gunshot_wound_was_shot_whether_he_lived_or_not(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("Detectives say the girl suffered a gunshot wound from a pistol kept in the house.")]))
    assert [(row["casualty_type"], row["value"], row["counts_all_shot"]) for row in rows] == [("injured", 1, True)]
    # A stab wound is no shooting.
    rows = list(extractor.extract([segment("He suffered a stab wound to the arm.")]))
    assert [(row["casualty_type"], row["value"], row["counts_all_shot"]) for row in rows] == [("injured", 1, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The death a shooting of oneself comes before is the shooter's own.
        ("A 4-year-old boy has died after he accidentally shot himself in the chest.", {("killed", None, 1), ("killed", "perpetrators", 1)}),
        ("Man dies after accidentally shooting himself while cleaning gun", {("killed", None, 1), ("killed", "perpetrators", 1)}),
        ("A toddler was killed after police say he accidentally shot himself.", {("killed", "children", 1), ("killed", "perpetrators", 1)}),
        # Told alone, he was shot, whether he died the story says elsewhere.
        ("The boy accidentally shot himself in the head.", {("injured", "perpetrators", 1)}),
    ],
)
def test_one_who_died_after_shooting_himself_died_of_it(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text, kind="body" if text.endswith(".") else "headline")]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


def test_people_shot_are_counted_with_whoever_died_and_wounds_are_no_people(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("Four people were shot outside the club early Sunday.")]))
    assert [(row["casualty_type"], row["value"], row["counts_all_shot"]) for row in rows] == [("injured", 4, True)]
    # He is one wounded person, however many wounds he suffered.
    rows = list(extractor.extract([segment("He suffered fifteen stab wounds to the head and arms.")]))
    assert [(row["casualty_type"], row["value"]) for row in rows] == [("injured", 1)]


def test_a_killing_verb_with_its_own_object_does_not_make_the_people_shot_dead(extractor: Extractor) -> None:
    # The parse conjoins the two verbs; each has its own object, so the four were shot and two of them died.
    text = "A man accused of shooting four family members, killing a father and daughter, was charged."
    expected = {("injured", None, 4, "exact"), ("killed", None, 2, "exact")}
    assert figures(extractor.extract([segment(text)])) == expected
    # With no object of its own, the killing verb states the outcome of the shooting.
    assert figures(extractor.extract([segment("Gunmen shot and killed a guard at the gate.")])) == {("killed", "security_forces", 1, "exact")}


@pytest.mark.parametrize(
    "text",
    ["Under Statute 39-13-202 the killing of another is first-degree murder.", "Call 555-0142 if you saw who killed him."],
)
def test_codes_and_phone_numbers_count_no_victims(extractor: Extractor, text: str) -> None:
    assert all(row["value"] not in (39, 13, 202, 555, 142) for row in extractor.extract([segment(text)]))


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        # Warrants executed, charges of wounding: papers, not people.
        ("Detectives have executed 27 search warrants since the shooting, the sheriff said.", 27),
        ("He pleaded guilty to three felony wounding charges on Monday.", 3),
        ("Two dogs were also wounded when the gunman fired into the yard.", 2),
    ],
)
def test_papers_and_animals_are_no_victims(extractor: Extractor, text: str, counted: int) -> None:
    assert all(row["value"] != counted for row in extractor.extract([segment(text)]))


@pytest.mark.parametrize(
    "text",
    [
        "Last month students painted the wall to honor three classmates killed in a car crash.",
        "Two teammates were killed in a traffic accident on the highway in May.",
        "Her husband died of natural causes in 2019.",
        "Her eldest son died naturally after a long illness.",
    ],
)
def test_deaths_of_other_causes_are_no_casualties(extractor: Extractor, text: str) -> None:
    assert figures(extractor.extract([segment(text)])) == set()


def test_a_hunting_accident_is_a_shooting(extractor: Extractor) -> None:
    assert figures(extractor.extract([segment("The boy died after a hunting accident on Saturday.")])) == {("killed", None, 1, "exact")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The dead are at least as many as the ordinal counts, whatever the sentence says of the others.
        (
            "A fourth victim of the bar shooting that killed three others has died.",
            {("killed", None, 4, "at_least"), ("killed", None, 3, "exact")},
        ),
        ("The second man was taken to a hospital but later died.", {("killed", None, 2, "at_least")}),
        # Not a victim, not a death, or a death of another cause.
        ("Police arrested a third suspect in the killing.", set()),
        ("A second victim was wounded in the leg.", set()),
        ("A third child, her eldest son, died naturally after a long illness.", set()),
    ],
)
def test_an_ordinal_victim_who_died_counts_the_dead_before_them(extractor: Extractor, text: str, expected: set) -> None:
    assert figures(extractor.extract([segment(text)])) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One death told as added ('also') to the one just told is another person: two at least.
        (
            "Deputy Mark Lane, 31, was shot and killed Sunday while answering a call. A man was also killed.",
            {("killed", None, 1, "exact"), ("killed", None, 2, "at_least")},
        ),
        (
            "Tom Reyes, 40, died Friday morning at the hospital, police said. One of his daughters has also died.",
            {("killed", None, 1, "exact"), ("killed", None, 2, "at_least")},
        ),
        # After a toll of several the added death may be one of them; 'also' of the same
        # person ('shot and also stabbed him to death') or of a wound adds nothing.
        (
            "A gunman killed two people at a gas station. A clerk was also killed.",
            {("killed", None, 2, "exact"), ("killed", None, 1, "exact")},
        ),
        ("A man was shot and killed on Elm Street. His brother was also shot.", {("killed", None, 1, "exact"), ("injured", None, 1, "exact")}),
        # So does one wounded told as added to the one wounded just told.
        (
            "The driver was shot in the arm, police said. A 9-year-old girl also suffered a gunshot wound to the leg.",
            {("injured", None, 1, "exact"), ("injured", None, 2, "at_least")},
        ),
    ],
)
def test_a_victim_told_as_added_to_the_one_before_counts_both(extractor: Extractor, text: str, expected: set) -> None:
    assert figures(extractor.extract([segment(text)])) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The number after a parent counts the parent's children: the victim is one person.
        ("Father of 6 killed, 3 hurt in shooting outside a bakery", {("killed", None, 1, "exact"), ("injured", None, 3, "exact")}),
        ("A mother of four was shot and killed Sunday night.", {("killed", None, 1, "exact")}),
        # A count out of the victims after 'of' is still a count of them.
        ("The grandmother of two of the victims said three people were killed.", {("killed", None, 3, "exact")}),
    ],
)
def test_a_parent_of_children_is_one_victim(extractor: Extractor, text: str, expected: set) -> None:
    assert figures(extractor.extract([segment(text)])) == expected


@pytest.mark.parametrize(
    "text", ["Six injured, suspect arrested after shooting at a car wash", "Two wounded, gunman sought in Elm Street shooting"]
)
def test_a_headline_count_before_a_comma_counts_no_attacker_after_it(extractor: Extractor, text: str) -> None:
    # The parse hangs the count on the next clause's subject: the count is of victims.
    assert {(row["casualty_type"], row["victim_group"]) for row in extractor.extract([segment(text)])} == {("injured", None)}


@pytest.mark.parametrize(
    "text", ["Deputies search for shooting suspect in Dayton", "Residents kept out as police search for shooting spree suspect"]
)
def test_a_shooting_suspect_is_no_suspect_shot(extractor: Extractor, text: str) -> None:
    assert figures(extractor.extract([segment(text, kind="headline")])) == set()


def test_a_suspect_shot_is_wounded(extractor: Extractor) -> None:
    rows = extractor.extract([segment("Officers shooting a suspect in Dayton", kind="headline")])
    assert figures(rows) == {("injured", "perpetrators", 1, "exact")}


def test_times_shot_are_no_people_shot(extractor: Extractor) -> None:
    rows = extractor.extract([segment("The teenager and his father were each shot one time, police said.")])
    assert [(row["casualty_type"], row["value"], row["value_text"]) for row in rows] == [("injured", 2, "The teenager and his father")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Policeman killed by shelling near the river - regional command", {("killed", "security_forces", 1)}),
        ("Farmer killed as shell hits barn in the east", {("killed", None, 1)}),
        ("Two soldiers killed in ambush near the dam - army spokesman", {("killed", "military", 2)}),
    ],
)
def test_a_headlines_closing_source_and_a_clause_of_its_own_leave_the_victims_alone(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


def test_a_headlines_closing_source_is_its_own_piece() -> None:
    text = "Two killed in blast - police"
    assert [text[start:end] for start, end in paragraph_spans(text)] == ["Two killed in blast", "police"]
    sentence = "Two were killed - police said - in the blast."
    assert [sentence[start:end] for start, end in paragraph_spans(sentence)] == [sentence]


def test_people_named_by_their_role_are_victims(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("Rebels say their commander was killed, and two rescuers were wounded.")]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == {("killed", "military", 1), ("injured", None, 2)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two boys, ages 11 and 16, were shot and wounded on the porch.", {("injured", "children", 2)}),
        ("Six people aged between 20 and 30 were injured.", {("injured", None, 6)}),
        ("Police received a 911 call about a man who had been shot.", set()),
    ],
)
def test_ages_and_emergency_calls_count_no_one(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ivo Marl died on the spot and his friend sustained injuries.", {("killed", None, 1), ("injured", None, 1)}),
        ("One guard was killed and another was injured in the blast.", {("killed", "security_forces", 1), ("injured", None, 1)}),
        ("The toll rose to four after another died in hospital.", {("killed", None, 4)}),
    ],
)
def test_another_and_a_sufferer_of_injuries_are_one_victim(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


def test_a_figure_with_no_town_takes_the_place_its_lead_opens_with(extractor: Extractor) -> None:
    text = (
        "On Monday night around 2300, in Nalchik, Kabardino-Balkariya, Russia, unidentified gunmen opened fire on "
        "the home of a retired police officer. When officers from Moscow arrived, a grenade thrown into the yard "
        "wounded one of them."
    )
    [row] = extractor.extract([segment(text, story_id="lead-0")])
    assert (row["location"], row["location_precision"], row["country_code"]) == ("Nalchik", "city", "RU")


def test_a_party_named_after_a_region_places_a_figure_without_a_town(extractor: Extractor) -> None:
    [row] = extractor.extract([segment("Two LPR fighters killed by mortar fire overnight", story_id="party-0")])
    assert (row["location_precision"], row["country_code"], row["admin1"]) == ("region", "UA", "14")
    assert row["latitude"] is not None


def test_a_side_named_after_a_region_still_places_its_figures_there(extractor: Extractor) -> None:
    [row] = extractor.extract([segment("Four LPR servicemen wounded by sniper fire near a checkpoint", story_id="side-0")])
    assert (row["location_precision"], row["country_code"], row["admin1"]) == ("region", "UA", "14")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A capital fighting or speaking for its government: the other place named, else the
        # area its country was at war in.
        ("Teacher killed in Kiev shelling of Horlivka", ("Horlivka", "city")),
        ("Two guards wounded in Kiev's attack on a checkpoint", ("Donbas", "region")),
        ("Kiev reports two soldiers killed overnight", ("Donbas", "region")),
        ("Ukraine says a soldier was killed on Tuesday", ("Donbas", "region")),
        # Where the capital is the place, it stays.
        ("Shelling in Kiev killed two pensioners", ("Kyiv", "city")),
        # 'the war zone' with no place named: the area the war was in that day.
        ("A soldier was killed in the combat zone on Tuesday", ("Donbas", "region")),
    ],
)
def test_a_capital_naming_a_side_is_no_place(extractor: Extractor, text: str, expected: tuple[str, str]) -> None:
    rows = list(extractor.extract([segment(text, story_id="side-capital-0", story_date=dt.date(2017, 3, 9))]))
    assert rows and {(row["location"], row["location_precision"]) for row in rows} == {expected}


def test_a_direction_alone_names_the_listed_part_of_the_story_country(extractor: Extractor) -> None:
    [row] = extractor.extract([segment("Two Ukrainian border guards killed by a mine in the rebel east", story_id="east-0")])
    assert (row["location"], row["location_precision"], row["country_code"]) == ("Donbas", "region", "UA")
    [row] = extractor.extract([segment("Two men were shot on the east side of Chicago on Sunday.", story_id="east-1")])
    assert (row["location"], row["location_precision"]) == ("Chicago", "city")


# -- headlines: wire slugs, clauses beside the victims, subjects hung on an auxiliary -----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A wire slug's version number is no count, and the slug no part of the headline (whose
        # rising toll states deaths, not how many).
        ("UPDATE 2-Death toll climbs after floods in Brenland", {("killed", None, None)}),
        ("RPT-One guard killed, two wounded in raid on Tessa", {("killed", "security_forces", 1), ("injured", None, 2)}),
        # A clause beside the victims, before or after a comma, is no object of 'killed'.
        ("One guard killed, 12 wounded in Tessa shelling", {("killed", "security_forces", 1), ("injured", None, 12)}),
        ("Rebels shell Tessa with mortars, one guard killed", {("killed", "security_forces", 1)}),
        # 'said' read as the auxiliary holding the subject: 'Two civilians (are) said (to be) killed'.
        ("Two civilians said killed as rebels keep shelling villages near Tessa", {("killed", "civilians", 2)}),
        # 'another' after the victim counts another victim elsewhere, not this one as one more.
        ("Police officer killed in the north, another in a crash", {("killed", "security_forces", 1)}),
        # A death before 'shot' is another victim's: the others shot are wounded.
        ("Teen killed, 4 others shot at Tessa party", {("killed", "children", 1), ("injured", None, 4)}),
    ],
)
def test_headline_clauses_around_the_victims(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


def test_a_wire_slug_is_left_out_of_the_headline() -> None:
    text = "UPDATE 3-Two killed in blast - police"
    assert [text[start:end] for start, end in paragraph_spans(text)] == ["Two killed in blast", "police"]
    dateline = "WINSTON-SALEM, N.C. - Two people were shot."
    assert [dateline[start:end] for start, end in paragraph_spans(dateline)] == [dateline]


def test_others_shot_beside_a_death_are_the_wounded(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("Teen killed, 4 others shot at Tessa party")]))
    assert [(row["casualty_type"], row["value"], row["counts_all_shot"]) for row in rows] == [("killed", 1, False), ("injured", 4, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A headline's bare 'civilian', which the tagger reads as an adjective.
        ("Mortar fire kills civilian in Tessa", {("killed", "civilians", 1)}),
        ("Civilian dies in Tessa region after shelling", {("killed", "civilians", 1)}),
        # A casualty word on the headline's noun names its victim.
        ("Army reports death of militia fighter in Tessa shelling", {("killed", "military", 1)}),
        ("Protest over photographer's brutal killing in Tessa", {("killed", "journalists", 1)}),
        ("Dead man found near Tessa bridge", {("killed", None, 1)}),
        # A participle with a subject and no auxiliary is passive, final stop or not.
        ("Private Bo Rask killed in heavy shelling at Tessa, Brenland on June 12.", {("killed", None, 1)}),
        # A name opening the headline, also after an age ended by a stop, with a past form the parser tags active.
        ("Ivo Marl killed near Tessa on June 12.", {("killed", None, 1)}),
        ("29y.o. Ivo Marl wounded by sniper fire near Tessa.", {("injured", None, 1)}),
        # A verb used actively without an object keeps its subject the attacker.
        ("The gunman shot at guards near Tessa.", set()),
        # The number counts the servicemen, not the republic named before them.
        ("Two Tessa republic's servicemen killed in shelling", {("killed", "military", 2)}),
        # A plural the tagger took for a singular counts no one person (but at least two, no number stated).
        ("Tessa servicemen killed in shelling by rebels", {("killed", "military", None)}),
        # A headline's first or single death, named by the noun alone.
        ("Tessa garrison reports first combat death since ceasefire", {("killed", None, 1)}),
        ("A fatality at Tessa checkpoint after mortar fire", {("killed", None, 1)}),
        # In running text 'the dead man' and 'the death of' refer back to a victim.
        ("The dead man was identified as Ivo Marl.", set()),
        ("Police said they are investigating the death of a teenager.", set()),
        ("Relatives said it was the first death in the family.", set()),
        # A rising toll states deaths, never one, and not how many.
        ("Death toll rises in Tessa as fighting goes on", {("killed", None, None)}),
        ("Death toll mounts in Tessa despite truce", {("killed", None, None)}),
        ("Death toll rises to 14 in Tessa", {("killed", None, 14)}),
        ("The death toll rose on Sunday.", set()),
    ],
)
def test_one_victim_named_by_a_headline_without_a_number(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A headline's 'N shot, M dead': the dead are the M, the N all those shot.
        ("Brawl ends with 6 shot, 1 dead in Marsden", {("injured", None, 6), ("killed", None, 1)}),
        ("3 Shot, 2 Dead After Fight At Marsden Bar", {("injured", None, 3), ("killed", None, 2)}),
        ("9 killed, 14 wounded in Velm market blast", {("killed", None, 9), ("injured", None, 14)}),
        # A place between the two counts: the first keeps its own participle.
        ("One guard killed near Tessa, two wounded", {("killed", "security_forces", 1), ("injured", None, 2)}),
    ],
)
def test_a_headlines_count_of_people_shot_is_not_its_dead(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text, kind="headline")]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One number before nouns for people of several groups counts them together.
        ("At least 27 soldiers, civilians killed in Tessa in 24 hours", {("killed", None, 27)}),
        ("Eleven soldiers, police killed near Tessa", {("killed", None, 11)}),
        ("Six soldiers and civilians wounded in Tessa shelling", {("injured", None, 6)}),
        # The participle the parse hung on the place the counted people are in is theirs.
        ("Nine people in Tessa republic killed by the army's shelling in 5 days", {("killed", None, 9)}),
    ],
)
def test_a_headlines_count_and_its_participle(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The fight outside the club left one man dead and four other people wounded.", {("killed", None, 1), ("injured", None, 4)}),
        ("Gunfire at the party left a woman dead and two others wounded, police said.", {("killed", "women", 1), ("injured", None, 2)}),
        # An active verb with an object of its own keeps its subject the attacker.
        ("The guards fled and three raiders wounded a driver.", {("injured", None, 1)}),
    ],
)
def test_an_outcome_conjoined_without_its_verb_counts_victims(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


def test_story_places_an_ambiguous_town_by_its_state_and_leaves_people_and_stations_alone(extractor: Extractor) -> None:
    [row] = extractor.extract([segment("Two men were shot and killed late Friday in Springfield, Ill., police said.", story_id="st-0")])
    assert (row["location"], row["country_code"], row["admin1"]) == ("Springfield", "US", "IL")
    [row] = extractor.extract([segment("Madison, 24, was shot in the leg outside a store in Dayton, Ohio, police said.", story_id="st-1")])
    assert (row["location"], row["admin1"]) == ("Dayton", "OH")
    # The footer's station city is not a second city of the story: the one town it names places the figure.
    footer = segment(
        "A 30-year-old man was shot and wounded Sunday night, police said.\n\n"
        "Officers found him outside a store in Marietta, Georgia.\n\n"
        "Copyright 2017 FOX 5 Atlanta. All rights reserved.",
        story_id="st-2",
    )
    [row] = extractor.extract([footer])
    assert (row["location"], row["location_precision"], row["admin1"]) == ("Marietta", "city", "GA")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A 4-year-old was wounded by a stray bullet on Elm Street.", {("injured", None, 1)}),
        ("The gunman killed three people and wounded a 12-year-old.", {("killed", None, 3), ("injured", None, 1)}),
        ("Her 2-month-old was killed in the crash, police said.", {("killed", None, 1)}),
        # 'the 19-year-old' refers back to someone the story has already counted.
        ("Hours later the 19-year-old was shot on Oak Avenue.", set()),
        # A headline drops the article, and the parse may read the age as the verb's adjective.
        ("Armored vehicle kills 7-year-old in frontline village", {("killed", None, 1)}),
        ("11-year-old wounded by mortar fire near the market", {("injured", None, 1)}),
        # In running text an age without an article is no more a new victim than 'the 19-year-old'.
        ("Hours later 19-year-old was shot on Oak Avenue.", set()),
    ],
)
def test_an_age_standing_for_a_person_is_one_victim(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


def test_other_people_shot_are_not_counted_with_the_dead(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("Police said the other three people shot were taken to Mercy Hospital.")]))
    assert [(row["casualty_type"], row["value"], row["counts_all_shot"]) for row in rows] == [("injured", 3, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana Rusk died of a self-inflicted gunshot wound after the standoff, the sheriff said.", {("killed", "perpetrators", 1)}),
        # The one found dead is the attacker, besides the five he killed.
        ("A man suspected of killing five people was found dead of a self-inflicted wound.", {("killed", None, 5), ("killed", "perpetrators", 1)}),
        ("A man was shot and killed on Elm Street on Sunday.", {("killed", None, 1)}),
    ],
)
def test_one_who_died_by_own_hand_is_an_attacker(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A headline's victims in the plural with no number: at least two.
        ("Civilians killed as fighting flares near Tessa", {("killed", "civilians", None, "about", 2)}),
        ("Army says guards killed by rebel shelling", {("killed", "security_forces", None, "about", 2)}),
        # In running text such a plural is mostly generic; 'no' counts none; 'shot' states no outcome.
        ("Civilians killed in shelling near Tessa.", set()),
        ('He said: "Civilians killed in shelling are never counted."', set()),
        ("No civilians killed in Tessa shelling", set()),
        ("Children shot in Tessa drive-by", set()),
    ],
)
def test_a_headlines_plural_without_a_number_counts_at_least_two(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"], row["qualifier"], row["value_low"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # A person's age set off by commas after the word for the person, not a count.
        ("Boy, 14, dies after being accidentally shot by cousin", "headline", set()),
        # A photo gallery's counters carried into the text count no one.
        ("Image 14 of 20 Two men were shot to death outside a bar on Friday. 1 / 20 Back to Gallery", "body", {("killed", None, 2)}),
        ("Photo 3 of 12: Three men were killed in the shooting.", "body", {("killed", None, 3)}),
        # A house or street number names a place, whatever verb its sentence has.
        ("Dale was shot outside the store, 412 N. Elm Grove Ave., after an argument.", "body", {("injured", None, 1)}),
        ("Police found two men shot near 2210 SW 41 St on Monday.", "body", {("injured", None, 2)}),
        ("Three people were wounded at 5520 Harmon Road.", "body", {("injured", None, 3)}),
        # A headline's capitalised words saying what happened are no street's name.
        ("2 Wounded In Shooting On Oak Street", "headline", {("injured", None, 2)}),
        ("2 Shot Dead On Oak St.", "headline", {("killed", None, 2)}),
    ],
)
def test_ages_gallery_counters_and_addresses_are_no_counts(extractor: Extractor, text: str, kind: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text, kind=kind)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    "text",
    [
        "More than 400 people died in 2012 from accidental shootings, the agency said.",
        "The city has not seen a shooting this deadly since 1994, when a gunman killed 11 at a factory.",
        "Last year, 212 people were killed in the county.",
        "Three people were killed on Friday. In March, two men were killed on the same block.",
    ],
)
def test_a_toll_dated_to_a_past_year_or_month_is_historical(extractor: Extractor, text: str) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert rows and all(row["is_historical"] == (row["value"] != 3) for row in rows)


def test_this_years_total_and_a_superlative_since_a_year_stay_current(extractor: Extractor) -> None:
    text = "Three people were killed on Friday in the deadliest shooting since 2009."
    rows = list(extractor.extract([segment(text)]))
    assert [(row["value"], row["is_historical"], row["event_date"]) for row in rows] == [(3, False, dt.date(2025, 6, 13))]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Five shot, three fatally, at county fair", "headline"),
        ("Five people were shot, three of them fatally, at the fair.", "body"),
    ],
)
def test_a_share_of_those_shot_with_its_own_outcome_word(extractor: Extractor, text: str, kind: str) -> None:
    rows = list(extractor.extract([segment(text, kind=kind)]))
    assert {(row["casualty_type"], row["value"]) for row in rows} == {("killed", 3), ("injured", 2)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The dead counted as some 'of the gunmen' are attackers.
        ("Two of the gunmen were killed by police.", {("killed", "perpetrators", 2)}),
        # The whole a share is taken of is no count of the dead.
        ("Four men shot the mayor dead. Two of the four attackers were killed by guards as they fled.",
         {("killed", None, 1), ("killed", "perpetrators", 2)}),
        # ... unless the casualty word is its own.
        ("One of the three other men shot that night is in a coma.", {("injured", None, 3)}),
    ],
)
def test_a_share_of_the_attackers_killed(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The toll counts the attacker: the victims are one fewer, the attacker his own group.
        ("Seven people died in the rampage, including the gunman.", {("killed", None, 6), ("killed", "perpetrators", 1)}),
        ("Five people were killed, including two suspects.", {("killed", None, 3), ("killed", "perpetrators", 2)}),
        ("Five people were killed, including two children.", {("killed", None, 5), ("killed", "children", 2)}),
        # The attacker listed after a victim the toll includes.
        (
            "A suicide bomber detonated his vest in the crowd. Six people including the mayor and the bomber were killed.",
            {("killed", None, 5), ("killed", "perpetrators", 1)},
        ),
        # 'the attackers': those the story counted before.
        (
            "Four suicide bombers blew themselves up at the police station. The attack caused 10 deaths, including the attackers.",
            {("killed", None, 6), ("killed", "perpetrators", 4)},
        ),
        # An attacker killed by others in a sentence that counts the victims.
        ("Two guards were fatally shot inside the bank before officers killed the gunman.", {("killed", "security_forces", 2), ("killed", "perpetrators", 1)}),
        # A year naming the spree, not a count.
        ("This is about the 2014 killing spree near the campus.", set()),
    ],
)
def test_attackers_in_a_toll_and_killed_by_others(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A count followed by its breakdown is the count, not their sum.
        ("Police said six people, three men and three women, were shot near the park.", {("injured", None, 6), ("injured", None, 3), ("injured", "women", 3)}),
        # A list of victims the parse split into subjects adds up.
        ("A woman, her son and her daughter were killed.", {("killed", None, 3)}),
        # After a description set off by commas, the parse may join the plural verb to the first
        # item and leave it the last item alone for its subject.
        ("John Doe, a trader, and his friend were killed when gunmen fired on their car.", {("killed", None, 2)}),
        ("One shopkeeper, identified as the owner, and a passer-by were injured.", {("injured", None, 2)}),
        # A headline naming a side and then a victim is no list.
        ("Army shells Tessa Republic, one militiaman killed", {("killed", "military", 1)}),
    ],
)
def test_breakdowns_and_lists_of_victims(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text, kind="headline" if not text.endswith(".") else "body")]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


def test_a_count_over_separate_incidents_is_an_aggregate(extractor: Extractor) -> None:
    text = "At least seven people had been killed in the city and 40 wounded in 33 separate shooting incidents since Friday."
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["value"], row["is_aggregate"]) for row in rows} == {("killed", 7, True), ("injured", 40, True)}
    one = list(extractor.extract([segment("Three people were killed in two attacks on the village.")]))
    assert [(row["value"], row["is_aggregate"]) for row in one] == [(3, False)]


@pytest.mark.parametrize(
    "text",
    [
        "The farmer killed his brother and himself.",
        "The farmer killed two neighbours and then himself.",
        "The farmer killed a clerk, a guard and then himself.",
    ],
)
def test_an_attacker_listed_last_among_his_victims_is_a_perpetrator(extractor: Extractor, text: str) -> None:
    rows = list(extractor.extract([segment(text)]))
    victims = 1 if "brother" in text else 2
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == {
        ("killed", None, victims),
        ("killed", "perpetrators", 1),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # As many attackers as the subject counts.
        ("Two gunmen opened fire on the crowd, killing themselves and five others.", {("killed", None, 5), ("killed", "perpetrators", 2)}),
        # 'the bombers' are those the story numbered before.
        (
            "Three suicide bombers self-detonated at the market in Quetta, Pakistan. Upon being cornered, the bombers "
            "detonated, killing themselves and two police officers.",
            {("killed", None, 2), ("killed", "perpetrators", 3)},
        ),
    ],
)
def test_attackers_listed_among_their_victims_as_themselves(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


def test_a_count_out_of_the_people_just_counted_is_no_more_of_a_list(extractor: Extractor) -> None:
    text = "Militants set off two bombs at the bazaar, killing five civilians, two of them shop keepers, and wounding eight others."
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == {
        ("killed", "civilians", 5),
        ("killed", None, 2),
        ("injured", None, 8),
    }


def test_a_count_before_an_age_counts_the_people_the_age_describes(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("Police said one 15-year-old boy and two 40-year-old women were wounded.")]))
    assert {(row["victim_group"], row["value"]) for row in rows} == {(None, 3), ("women", 2)}
    rows = list(extractor.extract([segment("In the market one 12-year-old girl was wounded by the blast.")]))
    assert {(row["victim_group"], row["value"]) for row in rows} == {(None, 1)}


def test_a_grazing_bullet_wounds_the_one_it_grazes_not_the_part(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("A stray round went through the fence, grazing a boy in the yard.")]))
    assert {(row["casualty_type"], row["value"]) for row in rows} == {("injured", 1)}
    # The part it grazed is no person: a count of the wounded stated elsewhere stands.
    assert list(extractor.extract([segment("The farmer said one of the rounds grazed his leg.")])) == []


def test_victims_of_an_attacker_who_kills_himself_are_a_toll_that_takes_him_back(extractor: Extractor) -> None:
    rows = list(extractor.extract([segment("A farmer shot and killed his brother and two cousins before killing himself.")]))
    assert {(row["victim_group"], row["value"], row["counts_named_victims"]) for row in rows if row["casualty_type"] == "killed"} == {
        (None, 3, False),
        ("perpetrators", 1, True),
    }
    # 'He shot himself and died' names one man twice: the count stays one of named victims.
    rows = list(extractor.extract([segment("He shot himself and died.")]))
    assert all(row["counts_named_victims"] for row in rows)


def test_victims_of_an_attacker_others_killed_are_a_toll_that_takes_him_back(extractor: Extractor) -> None:
    text = "A gunman shot and killed a shop owner at the market. The gunman was killed by police later that day."
    rows = list(extractor.extract([segment(text)]))
    assert {(row["victim_group"], row["value"], row["counts_named_victims"]) for row in rows if row["casualty_type"] == "killed"} == {
        (None, 1, False),
        ("perpetrators", 1, True),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The victim the blast killed is no one the attacker may be: the attacker is added back.
        (
            "A suicide bomber detonated his vest outside the council office, killing the deputy mayor.",
            {(None, 1, False), ("perpetrators", 1, True)},
        ),
        (
            "The district judge was killed when a suicide bomber detonated his explosives at the court gate.",
            {(None, 1, False), ("perpetrators", 1, True)},
        ),
        # Named in the next sentence, along with others.
        (
            "A suicide bomber blew himself up beside the convoy. The commander was killed along with three guards.",
            {(None, 4, False), ("perpetrators", 1, True)},
        ),
        # A list naming the attacker counts him already.
        (
            "A suicide bomber detonated his vest at the gate. The blast killed the bomber and two guards.",
            {(None, 3, True), ("perpetrators", 1, True)},
        ),
        # A killing told later in the story may be another one.
        (
            "A suicide bomber detonated his vest at the gate. Nine people were injured. Police searched the town for days. "
            "The man who trained him was shot and killed by police.",
            {(None, 1, True), ("perpetrators", 1, True)},
        ),
    ],
)
def test_victims_of_a_suicide_blast_are_a_toll_that_takes_the_attacker_back(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["victim_group"], row["value"], row["counts_named_victims"]) for row in rows if row["casualty_type"] == "killed"} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A verb with an object of its own is no modifier of the people counted before it.
        (
            "The truck bomb went off and killed four people, injured at least 12 others and damaged a bridge.",
            {("killed", None, 4), ("injured", None, 12)},
        ),
        # 'one' after a relative pronoun counts a noun.
        ("Troops fought rebels in a battle in which one farmer was killed.", {("killed", None, 1)}),
        # The number hung on the first noun of a compound counts its last.
        ("In the valley, seven goat herders were killed by a landmine.", {("killed", None, 7)}),
        # The bodies of counted people found: those people died; bodies alone found are a search's progress.
        ("The bodies of three farmers were found in a ditch.", {("killed", None, 3)}),
        ("Rescuers recovered two more bodies from the rubble.", set()),
    ],
)
def test_counts_a_parse_hides(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Whoever a verb of dying has for its subject died, whatever the noun.
        ("The director died from his wounds and his driver was seriously injured.", {("killed", None, 1), ("injured", None, 1)}),
        # An ordinal standing for one more person of a count of another type.
        ("Two guards were wounded, and the third was killed instantly.", {("injured", "security_forces", 2), ("killed", None, 1)}),
        # A victim the parse hung on the lead's list of places is still the passive's subject.
        (
            "On Monday, in Lagos city, Lagos, Nigeria, a school principal, Ann Vell, was killed when a bomb went off near her car.",
            {("killed", None, 1)},
        ),
        # A relative pronoun in a passive killing names the noun its clause hangs on.
        ("Gunmen fired on the car of a councillor, John Doe, who was killed, while two others were wounded.",
         {("killed", None, 1), ("injured", None, 2)}),
        ("Gunmen opened fire on Ali Musa, a village elder who was killed by the gunfire.", {("killed", None, 1)}),
        # Not the killer, nor someone whose death the story only recalls.
        ("The man who killed the farmer was arrested on Friday.", {("killed", None, 1)}),
        ("Mourners gathered at the funeral of John Doe, who died in November.", set()),
    ],
)
def test_one_victim_a_parse_hides(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One person's body found, with no casualty word in the story: that person died.
        ("Rebels kidnapped a shopkeeper on Monday. His body was found two days later near the river.", {("killed", None, 1)}),
        ("Police found the burned body of the engineer on Friday.", {("killed", None, 1)}),
        ("The governing body found the plan sound.", set()),
        # The dead named by a pronoun or a definite plural are the people counted before them.
        ("Gunmen abducted four traders and later killed them.", {("killed", None, 4)}),
        ("Rebels seized two engineers at the mine. The hostages were executed a week later.", {("killed", None, 2)}),
        # A pronoun after a count of the dead names them again.
        ("Two people were killed in the blast. They were buried on Friday.", {("killed", None, 2)}),
        # A pronoun names the people counted before it, not the weapons.
        (
            "Two farmers were shot and killed by militants using nine millimeter pistols. "
            "The farmers were on their way to work when they were shot and killed.",
            {("killed", None, 2)},
        ),
    ],
)
def test_deaths_stated_after_the_first_sentence(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A suicide attacker setting off the device died with the victims.
        ("A suicide bomber detonated a vest at the checkpoint, killing four soldiers.", {("killed", "military", 4), ("killed", "perpetrators", 1)}),
        ("Nine people were killed when three men detonated a suicide car bomb at the gate.", {("killed", None, 9), ("killed", "perpetrators", 3)}),
        # A toll beside a suicide attacker says nothing of the attacker's death.
        ("Suicide bomber kills 12 at a market", {("killed", None, 12)}),
        ("A suicide bomber was arrested before he could detonate his vest.", set()),
    ],
)
def test_suicide_attackers_who_set_off_their_device_died(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text, kind="headline" if not text.endswith(".") else "body")]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows} == expected


def test_a_state_stands_for_the_one_town_the_story_names_there(extractor: Extractor) -> None:
    text = (
        "Three people were wounded in a Tennessee shooting on Saturday, police said.\n\n"
        "The gunman opened fire outside a grocery store in Memphis."
    )
    rows = list(extractor.extract([segment(text)]))
    assert [(row["value"], row["location"], row["admin1"], row["location_precision"]) for row in rows] == [
        (3, "Memphis", "TN", "city")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Three hikers were wounded by the blast, one of whom died later.", {("injured", 2), ("killed", 1)}),
        ("Five guards were injured in the raid; two of them later died.", {("injured", 3), ("killed", 2)}),
        # 'One of them' in the next sentence counts other people: the wounded son stays wounded.
        ("Masked men raided a farm, stabbing a guard and wounding his son. Soldiers killed one of them.",
         {("injured", 1), ("killed", 1)}),
    ],
)
def test_the_dead_counted_out_of_a_count_of_wounded_leave_it(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Some 'of the wounded' died: they leave the count of wounded.
        ("A grenade hit the bus station, wounding at least four people. Two of the wounded passengers died overnight.",
         {("injured", 2), ("killed", 2)}),
        # ... and add to the dead the sentence of the wounded told before them.
        ("Two people were killed and ten wounded in the blast. One of the injured people died in hospital.",
         {("killed", 2), ("injured", 9), ("killed", 3)}),
        ("A guard was shot dead at the gate. Five additional workers were wounded; two of the wounded died of their wounds in hospital.",
         {("killed", 1), ("injured", 3), ("killed", 3)}),
        # A person the count of wounded named, who 'died of his wounds' or 'succumbed to his injuries'.
        ("Gunmen fired on a van, wounding a farmer and the driver. The farmer died from his injuries two days later.",
         {("injured", 1), ("killed", 1)}),
        ("Both men, Ali Kerem and Bo Rask, were wounded; Rask later succumbed to his injuries.", {("injured", 1), ("killed", 1)}),
        # A death told first in a sentence of its own may be the wounded one the story goes on to tell of.
        ("A soldier was killed in Kandahar province. Bo Rask was wounded by a mine on patrol; he died of those wounds a day later.",
         {("killed", 1)}),
        # A death of wounds of someone no count of wounded named leaves the count alone.
        ("A farmer was shot dead and his daughter was wounded. The farmer died of gunshot wounds.", {("killed", 1), ("injured", 1)}),
    ],
)
def test_the_wounded_who_died_of_their_wounds_leave_the_wounded(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two dead, two others injured in downtown shooting", {("killed", 2), ("injured", 2)}),
        ("One dead, three others wounded in shooting at mall", {("killed", 1), ("injured", 3)}),
        # 'Dead' far from the number is the gunman's, not the four's.
        ("Four Injured At Gas Station, Gunman Dead", {("injured", 4)}),
    ],
)
def test_a_number_with_its_own_casualty_adjective_counts_that_casualty(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["value"]) for row in rows if row["victim_group"] is None} == expected


def test_a_home_town_places_nothing_where_the_story_names_where_it_happened(extractor: Extractor) -> None:
    # A victim's home, the hospital the wounded were taken to and where a suspect was caught
    # are not where the shooting happened: the dateline's town is.
    text = (
        "Police are investigating a shooting outside a bar early Sunday.\n\n"
        "John Doe, 41, of Gainesville, died at the scene.\n\n"
        "Two other men were taken to a hospital in Orlando with gunshot wounds.\n\n"
        "A suspect was arrested hours later at a motel in nearby Ocala."
    )
    rows = list(extractor.extract([segment(text, story_id="home-0", dateline="TAMPA, Fla.")]))
    assert {(row["casualty_type"], row["value"], row["location"]) for row in rows} == {
        ("killed", 1, "Tampa"),
        ("hospitalized", 2, "Tampa"),
    }
    # With no other place named, the home town is the one town the story gives.
    [row] = extractor.extract([segment("Jane Roe, 29, of Gainesville, was shot and wounded Friday night.", story_id="home-1")])
    assert (row["location"], row["admin1"]) == ("Gainesville", "FL")


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # Those found dead count the attacker who turned the gun on himself, told of in another paragraph.
        (
            [("headline", "Deputies find 3 bodies, 2 of them children, in Elm County home"),
             ("body", "The sheriff said the father shot his two sons.\n\nHe then died of a self-inflicted gunshot wound.")],
            {("killed", None, 2), ("killed", "children", 2), ("killed", "perpetrators", 1)},
        ),
        (
            [("body", "Three people were found dead in a house on Elm Street. Police said the man killed his wife and daughter before killing himself.")],
            {("killed", None, 2), ("killed", "perpetrators", 1)},
        ),
        # An attacker others killed is no one found dead: the count stays the victims'.
        (
            [("body", "Three people were found dead in the house. Police later shot and killed the gunman.")],
            {("killed", None, 3), ("killed", "perpetrators", 1)},
        ),
    ],
)
def test_the_dead_found_count_an_attacker_who_killed_himself(extractor: Extractor, texts: list[tuple[str, str]], expected: set) -> None:
    segments = [segment(text, kind=kind) for kind, text in texts]
    rows = list(extractor.extract(segments))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows if row["casualty_type"] == "killed"} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A toll told in the clause of several counted attacks is their sum, no one incident's.
        ("Two shootings that killed four people have rattled the neighborhood this month.", {("killed", 4, True)}),
        ("Four people were killed in a shooting at a bar on Friday.", {("killed", 4, False)}),
        # What a gunman aimed or tried to do is no count of victims.
        ("Police said the gunman was aiming to kill three of the men he shot.", set()),
    ],
)
def test_a_toll_of_several_attacks_or_of_an_aim_is_no_incidents_toll(extractor: Extractor, text: str, expected: set) -> None:
    rows = extractor.extract([segment(text, story_id="sum-0")])
    assert {(row["casualty_type"], row["value"], row["is_aggregate"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A headline drops the 'and' of two people.
        ("Farmer kills wife, son at Elm County ranch", 2),
        ("Woman admits killing husband, son in Elm County", 2),
        # An apposition with its article says who the one victim was.
        ("Man kills his boss, a teacher", 1),
        # A casualty adjective before its noun counts that noun, not the people listed before it.
        ("Neighbour found woman and two slain children in upstairs bedroom", 2),
        # After the whole list it counts all of it.
        ("Police discovered one man and two children dead inside the house.", 3),
    ],
)
def test_headline_pairs_and_a_casualty_adjective_on_one_item(extractor: Extractor, text: str, expected: int) -> None:
    rows = list(extractor.extract([segment(text, kind="body" if text.endswith(".") else "headline")]))
    assert max(row["value"] for row in rows if row["casualty_type"] == "killed") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A headline drops the 'and' before the attacker too: his victims are a toll beside him.
        ("Farmer kills wife, himself at Elm County ranch", {("killed", None, 1, "exact", False), ("killed", "perpetrators", 1, "exact", True)}),
        ("Rancher kills infant son, self", {("killed", None, 1, "exact", False), ("killed", "perpetrators", 1, "exact", True)}),
        ("Father kills 2 children, self in murder-suicide",
         {("killed", "children", 2, "exact", False), ("killed", None, 2, "exact", False), ("killed", "perpetrators", 1, "exact", True)}),
        # A headline's plural with no number counts two or more.
        ("Grandmother kills daughter, grandchildren, self",
         {("killed", None, 3, "at_least", False), ("killed", "perpetrators", 1, "exact", True)}),
    ],
)
def test_a_headline_list_ending_with_the_attacker_himself(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text, kind="headline")]))
    assert {(row["casualty_type"], row["victim_group"], row["value"], row["qualifier"], row["counts_named_victims"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An apposition list that ends with the attacker goes on with the list: he is none of the six.
        (
            "A rancher killed six of his grandchildren, his adult daughter and himself in a rampage at the farm.",
            {("killed", None, 7), ("killed", "perpetrators", 1)},
        ),
        # Without him the apposition says who the counted were.
        ("A rancher killed two people, a man and his wife.", {("killed", None, 2)}),
    ],
)
def test_an_apposition_list_ending_with_the_attacker_adds_up(extractor: Extractor, text: str, expected: set) -> None:
    rows = list(extractor.extract([segment(text)]))
    assert {(row["casualty_type"], row["victim_group"], row["value"]) for row in rows if row["casualty_type"] == "killed"} == expected


def test_a_state_the_story_names_settles_which_namesake_its_town_is(extractor: Extractor) -> None:
    # 'Plymouth' alone is the English city; a story about a Massachusetts highway means the
    # Massachusetts town, and a state's name needs no preposition to be a place.
    text = (
        "A man who fired at passing cars along a Massachusetts highway, killing a driver and wounding two others, "
        "has been indicted, prosecutors said.\n\n"
        "Prosecutors said the shootings in Plymouth last week left the driver dead."
    )
    rows = list(extractor.extract([segment(text, story_id="ky-0")]))
    assert rows
    assert {(row["location"], row["country_code"], row["admin1"]) for row in rows} == {("Plymouth", "US", "MA")}


def test_a_state_the_headline_names_settles_which_namesake_the_body_town_is(extractor: Extractor) -> None:
    # 'Odessa' alone is the Ukrainian city; under a headline about a Texas bar it is Odessa, Texas.
    headline = segment("Two killed, three hurt in shooting at Texas bar", story_id="tx-0", kind="headline")
    body = segment(
        "A gunman killed two people and injured three more at a bar in Odessa early Sunday before driving off, police said.",
        story_id="tx-0",
    )
    rows = list(extractor.extract([body, headline]))
    assert {(row["casualty_type"], row["value"]) for row in rows} == {("killed", 2), ("injured", 3)}
    assert {(row["location"], row["country_code"], row["admin1"]) for row in rows} == {("Odessa", "US", "TX")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A crime named by the number of its victims: a killing's noun counts the dead.
        ("Deputies are investigating a double homicide at a farmhouse outside town.", {("killed", 2, False)}),
        ("A cook was charged Monday in the triple-murder at the diner.", {("killed", 3, False)}),
        # A shooting's counts everyone shot, the dead among them.
        ("Neighbors heard the quadruple shooting from across the park.", {("injured", 4, True)}),
        # Several such crimes, or 'double' of something else, count no one.
        ("The triple murders of last spring remain unsolved.", set()),
        ("Rents in the county could double after the killing of the tax bill.", set()),
        # A multiple that is a verb multiplies; a crime noun modifying a casualty noun names
        # a class of deaths; one modifying anything else is still the one crime's.
        ("Critics said the new law could double shooting deaths in the county.", set()),
        ("Gang violence could triple killing rates in the city", set()),
        ("The state saw double shooting deaths last year, a study found.", set()),
        ("Police arrested a double homicide suspect on Friday.", {("killed", 2, False)}),
        ("Officers respond to double homicide near the park", {("killed", 2, False)}),
        ("The man faces double–murder charges in the case.", {("killed", 2, False)}),
    ],
)
def test_a_crime_named_by_the_number_of_its_victims(extractor: Extractor, text: str, expected: set) -> None:
    rows = extractor.extract([segment(text)])
    assert {(row["casualty_type"], row["value"], row["counts_all_shot"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A count its casualty word denies counts people the attack spared.
        ("Two clerks inside the bank were not injured and spoke to detectives.", set()),
        ("One passenger was not hurt in the crash, the sheriff said.", set()),
        # A denied outcome leaves the shooting's wounded.
        ("Three men were shot but not killed behind the warehouse.", {("injured", 3)}),
        # 'not found' is how the missing are stated.
        ("Two hikers have not been found since the storm.", {("missing", 2)}),
    ],
)
def test_a_denied_casualty_counts_no_one(extractor: Extractor, text: str, expected: set) -> None:
    rows = extractor.extract([segment(text)])
    assert {(row["casualty_type"], row["value"]) for row in rows} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An attacker who turned the gun on himself after others: the victim the story names
        # is a toll, which reconciliation adds him to.
        (
            "A retired clerk targeted his neighbor and her son before shooting and killing himself. The boy died on Sunday.",
            {(None, 1, False), ("perpetrators", 1, True)},
        ),
        ("A trucker shot his sister and then himself, deputies said. She died at the ranch.", {(None, 1, False)}),
        # One who shot himself by accident acted on no one else: the boy named dead may be he.
        (
            "Deputies questioned the uncle of a boy who accidentally shot himself. The boy died on Sunday.",
            {(None, 1, True)},
        ),
        # Only his incident's victims: one of another incident the story goes on to tell is
        # named as she is.
        (
            "Lena Ortiz died Sunday. A gunman shot her and her sister before shooting himself.\n\n"
            "In a separate case in Troy, Mia Lund was killed Monday.",
            {(None, 1, False), (None, 1, True)},
        ),
        # A name he acted on is a person where a figure counts it as a victim; a bank is not.
        ("A man shot Jo Bell before shooting himself. Bell died on Sunday.", {(None, 1, False)}),
        ("A robber held up Fenwick Bank before shooting himself. Lena Ortiz died on Sunday.", {(None, 1, True)}),
    ],
)
def test_victims_named_beside_an_attacker_who_turned_from_them_are_a_toll(extractor: Extractor, text: str, expected: set) -> None:
    rows = extractor.extract([segment(text)])
    assert {(row["victim_group"], row["value"], row["counts_named_victims"]) for row in rows if row["casualty_type"] == "killed"} == expected


@pytest.mark.parametrize(
    "text",
    [
        # A question whether someone died states no death.
        "Officers could not confirm if the driver had died.",
        "It is not known whether the two guards were hurt in the fire.",
        # Nor does a plan to kill.
        "Prosecutors say the brothers plotted to kill their landlord.",
    ],
)
def test_a_question_or_a_plan_counts_no_victim(extractor: Extractor, text: str) -> None:
    assert list(extractor.extract([segment(text)])) == []
