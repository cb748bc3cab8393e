"""Find date expressions in news text and resolve them against the story's publication date.

Relative expressions ('Friday', 'late Thursday', 'overnight', 'last year's July 8', 'Dec. 28',
'last November') need the story date: a weekday is the most recent such day on or before it
(the same day counts), a day and month without a year the most recent such day on or before
it, 'last' and a month the most recent such month before the story's. Without a story date
only expressions that carry their own year resolve; nothing ever falls back to today.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# Expressions whose date is a scope for a superlative ('deadliest this year') rather than
# when something happened.
SCOPE_KINDS = frozenset({"year"})

_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + ")"
# Beside a date: a lower-case weekday word there would take the date with it.
_CAPITALISED_WEEKDAY = r"(?-i:" + "|".join(day.capitalize() for day in WEEKDAYS) + ")"
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# The years _YEAR reads. A story dated outside them is dated by a placeholder (0001-01-01,
# 9999-12-31), and counting days or years back from it would leave the calendar.
DATABLE_YEARS = range(1900, 2100)
_YEAR_PREFIX = r"(?:(?P<year_word>last|this|next) year['’]s\s+)?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_LEADING_WEEKDAY = r"(?:" + _WEEKDAY + r",?\s+)?"
_COUNT_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
# Holidays that name one day: a fixed (month, day), or (month, weekday, which of its weekdays
# in the month: 1 the first, -1 the last). Not New Year's Eve: 'a New Year's Eve party
# shooting' mostly happens after midnight, on New Year's Day.
_FIXED_HOLIDAYS = {
    r"new year['’]s day": (1, 1),
    r"christmas day": (12, 25),
    r"christmas eve": (12, 24),
    r"fourth of july": (7, 4),
    r"july fourth": (7, 4),
    r"halloween": (10, 31),
}
_MOVABLE_HOLIDAYS = {
    r"thanksgiving(?: day)?": (11, 3, 4),  # the fourth Thursday of November
    r"labor day": (9, 0, 1),  # the first Monday of September
    r"memorial day": (5, 0, -1),  # the last Monday of May
}
_HOLIDAYS = (*_FIXED_HOLIDAYS, *_MOVABLE_HOLIDAYS)
# How many days, the story's included, a tally 'over the past week' or 'in one month' covers.
PAST_PERIOD_DAYS = {"week": 7, "month": 30}

# All-digit dates: ISO '2011-01-05', and '01/05/2011' or '5.1.2011' with the year last. A
# slashed date is month first as in US and wire usage, unless its first number cannot be a
# month ('13/05/2011'); a dotted one is day first, as written in Europe. A slashed date may
# give its year in two digits, of this century ('07/24/11'; a dotted one would be a version
# number). A weekday written beside it names the same day ('Thursday, 2/23/2017', 'on
# 05/02/2011 on Monday', 'Sunday (07/24/11)'): it is part of the date, not a day of its own
# counted back from the story's.
_NUMERIC_DATE = (
    r"(?:" + _CAPITALISED_WEEKDAY + r",?\s+\(?)?"
    r"(?<![\d/.-])(?:(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>\d\d)-(?P<iso_day>\d\d)"
    r"|(?P<first>\d{1,2})(?P<separator>[/.])(?P<second>\d{1,2})(?P=separator)"
    r"(?:(?P<numeric_year>(?:19|20)\d\d)|(?<=/)(?P<short_year>\d\d)))(?![\d/-]|\.\d)"
    r"(?:,?\s+(?:on\s+)?" + _CAPITALISED_WEEKDAY + r"\b)?"
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("numeric", _NUMERIC_DATE),
        ("month_day", _YEAR_PREFIX + _LEADING_WEEKDAY + _MONTH + r"\s+" + _DAY + r"\b(?:,?\s+" + _YEAR + r")?"),
        ("day_month", _YEAR_PREFIX + _LEADING_WEEKDAY + _DAY + r"\s+" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b"),
        ("month_year", r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b"),
        # 'the Christmas Day shooting', 'early New Year's Day': a holiday names its day, but not
        # the days around it ('the Fourth of July weekend', 'home for Thanksgiving', 'the day
        # after Thanksgiving').
        (
            "holiday",
            r"(?<!after )(?<!before )(?<!for )(?<!until )(?<!since )\b(?P<holiday>"
            + "|".join(_HOLIDAYS)
            + r")\b(?!\s+(?:weekend|holiday|week|season|break))",
        ),
        ("next_weekday", r"\bnext\s+" + _WEEKDAY + r"\b"),
        ("weekday", r"\b(?:(?:early|late)\s+(?:on\s+)?)?" + _WEEKDAY + _PART_OF_DAY + r"\b"),
        (
            "relative_day",
            r"\b(?P<relative>overnight|last night|tonight|today|this morning|this afternoon|this evening"
            r"|yesterday|earlier today)\b",
        ),
        # 'killed over the past week', 'shelled DPR 40 times in one week', 'kills five in one
        # month': a tally of the seven (thirty) days up to the story, whichever calendar weeks
        # or months they fall in (before 'week' and 'month_relative', whose 'last week' and
        # 'last month' alone are the calendar week or month before the story's).
        (
            "past_period",
            r"\b(?:(?:over|during|in|for|within)\s+(?:the\s+)?(?:past|last)|(?:over|during|in|within|of)\s+(?:one|a)|over(?:\s+the)?)"
            r"\s+(?P<unit>week|month)\b",
        ),
        ("week", r"\b(?P<week>this week|last week|earlier this week|past week)\b"),
        ("month_relative", r"\b(?P<month_word>this month|last month|earlier this month|past month)\b"),
        # 'last November': the most recent November before the story's month.
        ("month", r"\b(?:in|since|during|early|late|mid-?|(?P<last>last))\s+" + _MONTH + r"\b"),
        # 'three days ago', 'two weeks ago', 'a year ago': so long before the story.
        (
            "ago",
            r"\b(?P<count>\d{1,2}|an?|one|a few|several|" + "|".join(_COUNT_WORDS) + r")\s+(?P<unit>day|week|month|year)s?\s+ago\b",
        ),
        (
            "duration",
            r"\b(?:over|during|in|for)\s+the\s+(?:past\s+|last\s+)?(?P<count>\d{1,2}|"
            + "|".join(_COUNT_WORDS)
            + r")\s+(?P<unit>days|weeks|months)\b",
        ),
        ("year", r"\b(?:in|since|during)\s+" + _YEAR + r"\b"),
        ("year", r"\b(?P<year_scope>this year|last year|in recent years|in months|in years)\b"),
    )
)
_PATTERN_BY_KIND = {kind: pattern for kind, pattern in _PATTERNS if kind != "year"}
_NAMED_DAY_OR_MONTH = ("weekday", "month")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    kind: str


@dataclass(frozen=True)
class ResolvedDate:
    start: dt.date
    end: dt.date
    precision: str  # 'day', 'week', 'month' or 'period'


# The prefilter, the figure finder and the story reader all ask about the same paragraph.
@functools.lru_cache(maxsize=4096)
def find_date_mentions(text: str) -> tuple[DateMention, ...]:
    """Non-overlapping date expressions, the more specific pattern winning where two overlap."""
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not _names_are_capitalised(match) or _is_part_of_a_name(text, match, kind):
                continue
            if any(start < taken_end and taken_start < end for taken_start, taken_end in taken):
                continue
            taken.append((start, end))
            mentions.append(DateMention(start, end, match.group(), kind))
    return tuple(sorted(mentions, key=lambda mention: mention.start))


def resolve_date(mention: DateMention, story_date: dt.date | None) -> ResolvedDate | None:
    """The days a date expression covers, or None when it cannot be placed in time."""
    pattern = _PATTERN_BY_KIND.get(mention.kind)
    match = pattern.fullmatch(mention.text) if pattern else None
    if mention.kind in ("month_day", "day_month") and match:
        return _resolve_day_of_month(match, story_date)
    if mention.kind == "numeric" and match:
        return _resolve_numeric(match)
    if mention.kind == "month_year" and match:
        return _month_period(int(match.group("year")), MONTHS[match.group("month").lower()])
    if story_date is None:
        return _resolve_year(mention.text, None)
    if mention.kind == "holiday" and match:
        return _resolve_holiday(match.group("holiday"), story_date)
    if mention.kind == "weekday" and match:
        return _day(most_recent_weekday(story_date, WEEKDAYS.index(match.group("weekday").lower())))
    if mention.kind == "next_weekday" and match:
        weekday = WEEKDAYS.index(match.group("weekday").lower())
        return _day(story_date + dt.timedelta(days=(weekday - story_date.weekday() - 1) % 7 + 1))
    if mention.kind == "relative_day" and match:
        relative = match.group("relative").lower()
        if relative == "yesterday":
            return _day(story_date - dt.timedelta(days=1))
        if relative == "last night":
            # The night before the story: attacks 'last night' mostly fall after midnight.
            return ResolvedDate(story_date - dt.timedelta(days=1), story_date, "day")
        return _day(story_date)
    if mention.kind == "past_period" and match:
        days = PAST_PERIOD_DAYS[match.group("unit").lower()]
        return ResolvedDate(story_date - dt.timedelta(days=days - 1), story_date, "period")
    if mention.kind == "week" and match:
        return _week(story_date, last=match.group("week").lower() == "last week")
    if mention.kind == "month_relative" and match:
        if match.group("month_word").lower() == "last month":
            previous = story_date.replace(day=1) - dt.timedelta(days=1)
            return _month_period(previous.year, previous.month)
        return ResolvedDate(story_date.replace(day=1), story_date, "month")
    if mention.kind == "ago" and match:
        return _ago(match.group("count").lower(), match.group("unit").lower(), story_date)
    if mention.kind == "duration" and match:
        days = _count_of(match.group("count").lower()) * _UNIT_DAYS[match.group("unit").lower().removesuffix("s")]
        return ResolvedDate(story_date - dt.timedelta(days=days), story_date, "period")
    if mention.kind == "month" and match:
        month = MONTHS[match.group("month").lower()]
        this_year = month < story_date.month if match.group("last") else month <= story_date.month
        year = story_date.year if this_year else story_date.year - 1
        return _month_period(year, month)
    return _resolve_year(mention.text, story_date)


def full_dates(text: str) -> Iterator[dt.date]:
    """The days written out in full in a text (day, month and year), in order of appearance."""
    for mention in find_date_mentions(text):
        if mention.kind in ("month_day", "day_month", "numeric"):
            resolved = resolve_date(mention, None)
            if resolved is not None:
                yield resolved.start


_NAME_BEFORE = re.compile(r"(?:\b(?:[Tt]he|[Aa]n?)(?:\s+[a-z]+){0,2}|['’]s)\s+$")
_CAPITALISED_WORD_AFTER = re.compile(r"\s+(?P<word>[A-Z][a-z]+)\b")


def _is_part_of_a_name(text: str, match: re.Match[str], kind: str) -> bool:
    """'the crowded Monday Market', 'Maiduguri's Friday Mosque': a weekday between an article
    (and up to two lower-case words) or a possessive and a capitalised word names a place,
    not a day ('on Monday Russia ...' is a day)."""
    if kind != "weekday" or not _NAME_BEFORE.search(text[: match.start()]):
        return False
    following = _CAPITALISED_WORD_AFTER.match(text, match.end())
    return following is not None and following.group("word").lower() not in MONTHS


def _names_are_capitalised(match: re.Match[str]) -> bool:
    """'may' and 'march' are verbs when written in lower case."""
    for group in _NAMED_DAY_OR_MONTH:
        if group in match.re.groupindex and match.group(group) and not match.group(group)[0].isupper():
            return False
    return True


def most_recent_weekday(story_date: dt.date, weekday: int) -> dt.date:
    return story_date - dt.timedelta(days=(story_date.weekday() - weekday) % 7)


def _resolve_day_of_month(match: re.Match[str], story_date: dt.date | None) -> ResolvedDate | None:
    month = MONTHS[match.group("month").lower()]
    day = int(match.group("day"))
    if match.group("year"):
        year = int(match.group("year"))
    elif story_date is None:
        return None
    elif match.group("year_word"):
        year = story_date.year + {"last": -1, "this": 0, "next": 1}[match.group("year_word").lower()]
    else:
        year = story_date.year if (month, day) <= (story_date.month, story_date.day) else story_date.year - 1
    try:
        return _day(dt.date(year, month, day))
    except ValueError:
        return None


def _resolve_holiday(name: str, story_date: dt.date) -> ResolvedDate:
    """The most recent such holiday on or before the story date."""
    fixed = next((day for pattern, day in _FIXED_HOLIDAYS.items() if re.fullmatch(pattern, name, re.IGNORECASE)), None)
    movable = next((rule for pattern, rule in _MOVABLE_HOLIDAYS.items() if re.fullmatch(pattern, name, re.IGNORECASE)), None)

    def in_year(year: int) -> dt.date:
        if fixed is not None:
            return dt.date(year, *fixed)
        assert movable is not None  # the pattern matched one of the holidays
        month, weekday, nth = movable
        if nth > 0:
            first = dt.date(year, month, 1)
            return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)

    holiday = in_year(story_date.year)
    return _day(holiday if holiday <= story_date else in_year(story_date.year - 1))


def _resolve_numeric(match: re.Match[str]) -> ResolvedDate | None:
    if match.group("iso_year"):
        year, month, day = int(match.group("iso_year")), int(match.group("iso_month")), int(match.group("iso_day"))
    else:
        year = int(match.group("numeric_year")) if match.group("numeric_year") else 2000 + int(match.group("short_year"))
        first, second = int(match.group("first")), int(match.group("second"))
        day_first = match.group("separator") == "." or first > 12
        month, day = (second, first) if day_first else (first, second)
    try:
        return _day(dt.date(year, month, day))
    except ValueError:
        return None


def _resolve_year(text: str, story_date: dt.date | None) -> ResolvedDate | None:
    lowered = text.lower()
    digits = re.search(r"(?:19|20)\d\d", text)
    if digits:
        year = int(digits.group())
        return ResolvedDate(dt.date(year, 1, 1), dt.date(year, 12, 31), "period")
    if story_date is None:
        return None
    if lowered == "this year":
        return ResolvedDate(dt.date(story_date.year, 1, 1), story_date, "period")
    if lowered == "last year":
        return ResolvedDate(dt.date(story_date.year - 1, 1, 1), dt.date(story_date.year - 1, 12, 31), "period")
    return None


def _count_of(count: str) -> int:
    """How many units a count states: digits, 'a'/'an'/'one', or a word from two to twelve."""
    if count.isdigit():
        return int(count)
    return 1 if count in ("a", "an", "one") else _COUNT_WORDS.index(count) + 2


def _ago(count: str, unit: str, story_date: dt.date) -> ResolvedDate:
    """'three days ago' is that day; 'two weeks ago', 'a month ago', 'a year ago' are spans of
    days around the day so long before the story (half a unit either way: news rounds them);
    'a few' or 'several' units ago, from two to five of them."""
    unit_days = _UNIT_DAYS[unit]
    if count in ("a few", "several"):
        return ResolvedDate(story_date - dt.timedelta(days=5 * unit_days), story_date - dt.timedelta(days=2 * unit_days), "period")
    days = _count_of(count) * unit_days
    if unit == "day":
        return _day(story_date - dt.timedelta(days=days))
    half = unit_days // 2
    return ResolvedDate(story_date - dt.timedelta(days=days + half), story_date - dt.timedelta(days=days - half), "period")


def _day(day: dt.date) -> ResolvedDate:
    return ResolvedDate(day, day, "day")


def _week(story_date: dt.date, last: bool) -> ResolvedDate:
    monday = story_date - dt.timedelta(days=story_date.weekday())
    if last:
        return ResolvedDate(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), "week")
    return ResolvedDate(monday, story_date, "week")


def _month_period(year: int, month: int) -> ResolvedDate:
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return ResolvedDate(first, following - dt.timedelta(days=1), "month")
