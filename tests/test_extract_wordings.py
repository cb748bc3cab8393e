"""Wordings of the same facts that news writers vary: each case is one kind of wording the
generalisation probe found missed (sentences written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from casualties.extract import Extractor, SegmentInput, build_extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return build_extractor()


def counts(extractor: Extractor, text: str) -> set[tuple[str, str | None, int | None]]:
    segment = SegmentInput("w-0-body-0", "w-0", "w", "body", text, dt.date(2025, 3, 8), None, None)
    return {(row["casualty_type"], row["victim_group"], row["value"]) for row in extractor.extract([segment])}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 'dozen' after a number is often parsed as a compound of the noun it multiplies.
        ("Two dozen rebels were killed in air strikes near the border.", {("killed", "military", 24)}),
        ("Three dozen villagers wounded as shells hit a market", {("injured", None, 36)}),
        # A headline's partitive with a reduced passive on the people counted.
        ("Rebels say 12 of their fighters killed near the bridge", {("killed", "military", 12)}),
        # A side loses its soldiers: a count of its dead.
        ("Army loses three soldiers in overnight fighting near the river", {("killed", "military", 3)}),
        ("Four border guards lost their lives when their patrol came under fire on Monday.", {("killed", "security_forces", 4)}),
        ("The rebels lost 20 fighters in the failed assault.", {("killed", "military", 20)}),
        # A headline without articles: 'lives' tagged as a verb, still the object.
        ("Artillery fire claims lives of three marines near the coast", {("killed", "military", 3)}),
        # Succumbing to wounds is dying of them.
        ("Two of the wounded later succumbed to their injuries in hospital.", {("killed", None, 2)}),
        ("A 19-year-old man shot on Friday succumbed to his wounds on Sunday, police said.", {("killed", None, 1)}),
    ],
)
def test_a_wording_states_its_count(extractor: Extractor, text: str, expected: set) -> None:
    assert counts(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The home side lost 3-1 on Saturday and two games the week before.",  # a score, no people
        "The factory lost 200 jobs and two warehouses last year.",  # things lost, not people
        "A father who lost his son to gun violence spoke at the meeting.",  # a bereavement told in passing
        "The school has lost three students to gunfire this year.",  # people lost who are no side's fighters
        "The council finally succumbed to pressure from residents.",
    ],
)
def test_a_verb_of_losing_or_succumbing_counts_only_people_lost_to_death(extractor: Extractor, text: str) -> None:
    assert counts(extractor, text) == set()


def test_one_of_a_count_in_running_text_restates_the_count(extractor: Extractor) -> None:
    # Only a headline's 'N of their fighters killed' reads the participle on the partitive.
    assert counts(extractor, "He was one of four people wounded in the shooting on Friday.") == {("injured", None, 4)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 'a third', 'a second' after a count of another casualty type: one more person.
        ("Two guards were shot dead and a third was wounded at the gate.", {("killed", "security_forces", 2), ("injured", None, 1)}),
        ("The gunman killed three customers and injured a fourth before fleeing.", {("killed", None, 3), ("injured", None, 1)}),
    ],
)
def test_an_ordinal_after_a_count_is_one_more_person(extractor: Extractor, text: str, expected: set) -> None:
    assert counts(extractor, text) == expected
