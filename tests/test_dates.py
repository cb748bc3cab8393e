import datetime as dt

import pytest

from casualties.dates import ResolvedDate, find_date_mentions, full_dates, most_recent_weekday, resolve_date

SATURDAY = dt.date(2025, 4, 5)


def resolve(text: str, story_date: dt.date | None) -> ResolvedDate | None:
    mentions = find_date_mentions(text)
    assert len(mentions) == 1, mentions
    return resolve_date(mentions[0], story_date)


def day(value: dt.date) -> ResolvedDate:
    return ResolvedDate(value, value, "day")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a strike Friday on the city", dt.date(2025, 4, 4)),
        ("a drone attack late Thursday on the port", dt.date(2025, 4, 3)),
        ("shelling on Monday", dt.date(2025, 3, 31)),
        ("the raid early Saturday", SATURDAY),  # the story's own weekday is that very day
        ("an attack Sunday night", dt.date(2025, 3, 30)),
    ],
)
def test_weekday_is_the_most_recent_such_day_on_or_before_the_story_date(text: str, expected: dt.date) -> None:
    assert resolve(text, SATURDAY) == day(expected)


def test_relative_days() -> None:
    assert resolve("a massive overnight attack", SATURDAY) == day(SATURDAY)
    assert resolve("the blast yesterday", SATURDAY) == day(dt.date(2025, 4, 4))
    assert resolve("drones hit the town last night", SATURDAY) == ResolvedDate(dt.date(2025, 4, 4), SATURDAY, "day")


def test_day_and_month_without_year_is_the_most_recent_one() -> None:
    assert resolve("The protests began Dec. 28 over prices", dt.date(2026, 1, 12)) == day(dt.date(2025, 12, 28))
    assert resolve("on July 8 the plant was hit", dt.date(2025, 4, 24)) == day(dt.date(2024, 7, 8))
    assert resolve("on April 2 the plant was hit", dt.date(2025, 4, 24)) == day(dt.date(2025, 4, 2))


def test_year_words_before_a_date() -> None:
    assert resolve("since last year's July 8 attack", dt.date(2025, 4, 24)) == day(dt.date(2024, 7, 8))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in Kharkiv, Friday, April 4, 2025. (Photo)", dt.date(2025, 4, 4)),
        ("on Thursday 24 April 2025, who told", dt.date(2025, 4, 24)),
        ("on Feb. 24, 2022.", dt.date(2022, 2, 24)),
        ("Friday, January. 9, 2026.", dt.date(2026, 1, 9)),
    ],
)
def test_explicit_dates_need_no_story_date(text: str, expected: dt.date) -> None:
    assert resolve(text, None) == day(expected)


def test_undated_story_gives_no_date_for_relative_expressions() -> None:
    for text in ("a strike Friday", "overnight attacks", "on Dec. 28", "this week", "last month"):
        assert resolve(text, None) is None, text


def test_coarser_precisions() -> None:
    assert resolve("killed this week", SATURDAY) == ResolvedDate(dt.date(2025, 3, 31), SATURDAY, "week")
    assert resolve("in March, fighting", SATURDAY) == ResolvedDate(dt.date(2025, 3, 1), dt.date(2025, 3, 31), "month")
    assert resolve("detained over the two weeks of protests", dt.date(2026, 1, 12)) == ResolvedDate(
        dt.date(2025, 12, 29), dt.date(2026, 1, 12), "period"
    )
    in_2022 = ResolvedDate(dt.date(2022, 1, 1), dt.date(2022, 12, 31), "period")
    assert resolve("the invasion in 2022", SATURDAY) == in_2022


@pytest.mark.parametrize(
    "text",
    [
        "two fighters killed over the past week, the command said",
        "Four soldiers killed in past week - army",
        "shelled the town 90 times in one week, killing two",
        "Three militiamen killed over last week",
        "five killed in course of a week",
    ],
)
def test_a_tally_over_the_past_week_covers_the_seven_days_up_to_the_story(text: str) -> None:
    # A Saturday story: the tally runs from the Sunday before, not from the calendar week's Monday.
    assert resolve(text, SATURDAY) == ResolvedDate(dt.date(2025, 3, 30), SATURDAY, "period")


@pytest.mark.parametrize(
    "text",
    [
        "nine people killed over the past month, the ombudsman said",
        "Shelling kills six in one month - command",
        "Two soldiers killed over last month in the east",
    ],
)
def test_a_tally_over_the_past_month_covers_the_thirty_days_up_to_the_story(text: str) -> None:
    assert resolve(text, SATURDAY) == ResolvedDate(dt.date(2025, 3, 7), SATURDAY, "period")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a Christmas Day shooting at a bar", dt.date(2024, 12, 25)),
        ("killed early New Year's Day", dt.date(2025, 1, 1)),
        ("the Thanksgiving Day shooting", dt.date(2024, 11, 28)),
        ("wounded on Memorial Day", dt.date(2024, 5, 27)),
        ("a Labor Day shooting that left one dead", dt.date(2024, 9, 2)),
    ],
)
def test_a_holiday_names_its_most_recent_day(text: str, expected: dt.date) -> None:
    assert resolve(text, SATURDAY) == day(expected)


def test_days_around_a_holiday_are_no_date() -> None:
    for text in ("over the Fourth of July weekend", "home for Thanksgiving", "the day after Thanksgiving", "a New Year's Eve party"):
        assert find_date_mentions(text) == (), text


def test_last_week_alone_is_the_calendar_week_before_the_story() -> None:
    assert resolve("an attack last week on the depot", SATURDAY) == ResolvedDate(dt.date(2025, 3, 24), dt.date(2025, 3, 30), "week")
    assert find_date_mentions("on the first day of the week") == ()


def test_next_weekday_is_in_the_future() -> None:
    resolved = resolve("ministers will meet next Thursday", SATURDAY)
    assert resolved == day(dt.date(2025, 4, 10))


def test_last_and_a_month_is_the_most_recent_such_month_before_the_story_month() -> None:
    march = ResolvedDate(dt.date(2025, 3, 1), dt.date(2025, 3, 31), "month")
    assert resolve("a shooting there last March", SATURDAY) == march
    last_april = ResolvedDate(dt.date(2024, 4, 1), dt.date(2024, 4, 30), "month")
    assert resolve("the protests last April", SATURDAY) == last_april  # the story's own month is a year back
    november = ResolvedDate(dt.date(2024, 11, 1), dt.date(2024, 11, 30), "month")
    assert resolve("was killed by police last November", SATURDAY) == november
    assert resolve("the raid last May 3", SATURDAY) == day(dt.date(2024, 5, 3))  # a day of the month stays a day
    assert find_date_mentions("the last may be the worst") == ()


def test_so_long_ago_counts_back_from_the_story() -> None:
    assert resolve("a man shot three days ago", SATURDAY) == day(dt.date(2025, 4, 2))
    two_weeks = ResolvedDate(dt.date(2025, 3, 19), dt.date(2025, 3, 25), "period")
    assert resolve("the shooting nearly two weeks ago", SATURDAY) == two_weeks
    two_years = ResolvedDate(dt.date(2022, 10, 6), dt.date(2023, 10, 5), "period")
    assert resolve("her son was killed two years ago", SATURDAY) == two_years
    a_few_years = ResolvedDate(dt.date(2020, 4, 6), dt.date(2023, 4, 6), "period")
    assert resolve("killed in a drive-by a few years ago", SATURDAY) == a_few_years


def test_lower_case_month_and_weekday_words_are_not_dates() -> None:
    assert find_date_mentions("officials may release figures, and march on") == ()


def test_most_recent_weekday_wraps_across_weeks() -> None:
    assert most_recent_weekday(dt.date(2025, 4, 1), 4) == dt.date(2025, 3, 28)  # Tuesday -> last Friday


@pytest.mark.parametrize(
    "text",
    [
        "traders at the crowded Monday Market",
        "the toll from the blast at Kano's Friday Mosque",
        "The Sunday Times reported",
    ],
)
def test_a_weekday_inside_a_name_is_no_date(text: str) -> None:
    assert find_date_mentions(text) == ()


@pytest.mark.parametrize(
    "text", ["on Monday Russia launched 40 drones", "the market stays shut until Monday", "the Friday prayers"]
)
def test_a_weekday_outside_a_name_is_a_date(text: str) -> None:
    assert [mention.kind for mention in find_date_mentions(text)] == ["weekday"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/07/2019: Gunmen opened fire on a bus.", dt.date(2019, 3, 7)),  # month first, as in US and wire usage
        ("On 2019-03-07 a bomb exploded.", dt.date(2019, 3, 7)),
        ("Reported 25/07/2019 by the council.", dt.date(2019, 7, 25)),  # 25 cannot be a month
        ("Am 7.3.2019 explodierte eine Bombe.", dt.date(2019, 3, 7)),  # dotted: day first
    ],
)
def test_all_digit_dates_carry_their_own_year(text: str, expected: dt.date) -> None:
    assert resolve(text, None) == day(expected)


@pytest.mark.parametrize(
    "text",
    [
        "police captured two men on 04/18/2025 on Friday",
        "the talks on Friday 04/18/2025 failed",
        "Friday, 4/18/2025: a bomb",
        "the boy was found on Friday (04/18/25) evening",
    ],
)
def test_a_weekday_beside_an_all_digit_date_is_that_date(text: str) -> None:
    # Not the Friday before the story (March 28), which a weekday alone would be.
    assert resolve(text, dt.date(2025, 4, 1)) == day(dt.date(2025, 4, 18))


def test_a_lower_case_weekday_word_leaves_the_date_beside_it() -> None:
    assert [mention.text for mention in find_date_mentions("on 04/18/2025 on friday")] == ["04/18/2025"]


def test_a_slashed_date_may_give_its_year_in_two_digits() -> None:
    assert resolve("UPDATE (10/26/16): a man was shot", dt.date(2016, 10, 27)) == day(dt.date(2016, 10, 26))
    assert find_date_mentions("version 2.4.11 of the app") == ()  # a dotted one is a version number


def test_version_numbers_and_impossible_days_are_no_dates() -> None:
    assert find_date_mentions("firmware 1.2.2019.4 was installed") == ()
    assert resolve("02/30/2019: nothing", None) is None


def test_full_dates_are_the_days_written_out_with_their_year() -> None:
    text = "On Friday, March 8, 2019, and again on 10 March 2019 (see 03/12/2019), but not on March 9."
    assert list(full_dates(text)) == [dt.date(2019, 3, 8), dt.date(2019, 3, 10), dt.date(2019, 3, 12)]
