"""The numbers of a sentence that may count people: a number with its qualifier ('at least
14', 'more than a dozen'), not a date, a price, an age, a year, a code or an identifier."""

from __future__ import annotations

import functools
import re

from spacy.attrs import LIKE_NUM, LOWER
from spacy.tokens import Doc, Token

from casualties.dates import find_date_mentions
from casualties.extract.lexicon import Lexicon
from casualties.extract.lexicon_pipe import LexiconIndex
from casualties.extract.numbers import parse_number
from casualties.extract.records import NumberSpan
from casualties.extract.words import doc_text, string_ids

_DIGIT_TOKEN = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
_YEAR_TOKEN = re.compile(r"^(?:1[89]|20)\d\d$")
CURRENCY_SYMBOLS = frozenset({"$", "€", "£", "¥", "₴", "₽"})


def word_after_number(doc: Doc, end: int) -> Token | None:
    """The word after a number ending before token `end`, past a hyphen ('30-day', '86-year-old')."""
    following = doc[end] if end < len(doc) else None
    if following is not None and following.text in ("-", "–") and end + 1 < len(doc):
        return doc[end + 1]
    return following


class NumberSpotter:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.role = lexicon.role

    def find(self, doc: Doc, index: LexiconIndex) -> list[NumberSpan]:
        date_chars = [(mention.start, mention.end) for mention in find_date_mentions(doc_text(doc))]
        spans: list[NumberSpan] = []
        position = 0
        for start in self._possible_starts(doc, index):
            if start < position:
                continue  # inside the number before
            end = self._number_end(doc, index, start)
            if end == start:
                continue
            amount = parse_number(" ".join(token.text for token in doc[start:end]), self.lexicon)
            if start in index.vague_spans:
                amount = index.vague_spans[start][1]
            position = end
            if amount is None or self._is_not_a_count(doc, index, start, end, date_chars):
                continue
            qualifier_start, qualifier = index.qualifier_before.get(start, (start, None))
            if qualifier is not None and doc[qualifier_start].dep_ == "prep":
                qualifier_start, qualifier = start, None  # 'information about two children'
            increment = (end < len(doc) and doc[end].lower_ in self.role("increment_after")) or (
                qualifier is None and start > 0 and doc[start - 1].lower_ in self.role("increment_before")
            )
            spans.append(NumberSpan(qualifier_start, start, end, amount, qualifier, increment))
        return spans

    @staticmethod
    def _is_code_part(doc: Doc, start: int, end: int) -> bool:
        """Digits chained to more digits by hyphens with no space, three parts or more
        ('39-13-202') or long parts ('555-0142'): a code, not a count. Two short parts are a
        range ('3-4 people')."""
        def joined(hyphen: int) -> bool:
            return (
                0 < hyphen < len(doc) - 1
                and doc[hyphen].text in ("-", "–")
                and not doc[hyphen - 1].whitespace_
                and not doc[hyphen].whitespace_
                and doc[hyphen - 1].is_digit
                and doc[hyphen + 1].is_digit
            )

        if end - start != 1 or not doc[start].is_digit:
            return False
        first, last = start, start
        while joined(first - 1):
            first -= 2
        while joined(last + 1):
            last += 2
        parts = [doc[position].text for position in range(first, last + 1, 2)]
        return len(parts) >= 3 or (len(parts) == 2 and min(len(part) for part in parts) >= 3)

    def _possible_starts(self, doc: Doc, index: LexiconIndex) -> list[int]:
        """The positions a number may start at, in order: a vague amount's, 'a'/'an' ('a
        dozen'), a number word or anything like a number. Read from the doc's array, so that
        no other word becomes a Token."""
        words = doc.to_array([LOWER, LIKE_NUM]).tolist()
        possible = {i for i, (lower, like_num) in enumerate(words) if like_num or lower in self._number_word_ids}
        return sorted(possible | index.vague_spans.keys())

    @functools.cached_property
    def _number_word_ids(self) -> frozenset[int]:
        return string_ids(("a", "an", *self.lexicon.unit_values, *self.lexicon.scale_values))

    def is_number_word(self, token: Token) -> bool:
        lower = token.lower_
        return (
            bool(_DIGIT_TOKEN.match(lower)) or lower in self.lexicon.unit_values or lower in self.lexicon.scale_values
        )

    def _starts_other_number(self, previous: Token, current: Token) -> bool:
        """Digits then a number word ('Image 14 of 20 Two men were shot'), or a number word
        then digits ('one 15-year-old boy', a count then an age): two numbers side by side,
        not one; 'a 2 million' style scales still join the digits before them."""
        previous_digits, current_digits = bool(_DIGIT_TOKEN.match(previous.text)), bool(_DIGIT_TOKEN.match(current.text))
        return (previous_digits and current.lower_ in self.lexicon.unit_values) or (
            current_digits and not previous_digits and previous.lower_ in self.lexicon.unit_values
        )

    def _number_end(self, doc: Doc, index: LexiconIndex, start: int) -> int:
        if start in index.vague_spans:
            return index.vague_spans[start][0]
        end = start
        if doc[start].lower_ in ("a", "an") and start + 1 < len(doc):
            following = doc[start + 1].lower_
            if following in self.lexicon.multipliers or following in self.lexicon.scale_values:
                end = start + 1  # 'a dozen', 'a hundred'
        while end < len(doc):
            current = doc[end]
            if self.is_number_word(current) and not (end > start and self._starts_other_number(doc[end - 1], current)):
                end += 1
            elif (
                current.text in ("-", "and")
                and end > start
                and end + 1 < len(doc)
                and self.is_number_word(doc[end + 1])
                and not _DIGIT_TOKEN.match(doc[end + 1].text)
                and not _DIGIT_TOKEN.match(doc[end - 1].text)
            ):
                end += 1
            else:
                break
        return end

    def _is_not_a_count(
        self, doc: Doc, index: LexiconIndex, start: int, end: int, date_chars: list[tuple[int, int]]
    ) -> bool:
        first = doc[start]
        if any(char_start <= first.idx < char_end for char_start, char_end in date_chars):
            return True
        if end + 1 < len(doc) and doc[end].lower_ in self.role("increment_after") and doc[end + 1].lower_ == "than":
            return True  # 'three more than first reported': a difference, not a count
        following = word_after_number(doc, end)
        if following is not None and self.lexicon.measures_something_else(following.lower_):
            return True
        if start > 0 and doc[start - 1].text in CURRENCY_SYMBOLS:
            return True
        if start > 1 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha:
            return True  # an identifier such as 'Kh-101'
        before = start - 1
        while before >= 0 and (doc[before].like_num or doc[before].lower_ in ("and", "between", "from", "to", "-", "–", ",")):
            before -= 1
        if before >= 0 and doc[before].lower_ in self.role("age_before"):
            return True  # 'two boys, ages 11 and 16', 'aged between 20 and 30': ages, not counts
        if start > 1 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in self.role("parent_noun") and not (
            end < len(doc) and doc[end].lower_ in ("of", "-")
        ):
            return True  # 'Father of 5 killed', 'a mother of two': her children, not the dead ('mother of two of the victims' is)
        if self._is_code_part(doc, start, end):
            return True  # a statute, case or phone number: '39-13-202', '555-0142'
        if self._is_gallery_counter(doc, start, end):
            return True
        if self._is_street_address(doc, index, start, end):
            return True
        if first.lower_ == "one" and start > 0 and doc[start - 1].lower_ in self.role("one_as_pronoun_after"):
            # 'killed no one', 'the one that hit'; but after a relative pronoun or a conjunction
            # 'one' may count a noun: 'a clash in which one guard was killed'.
            counts_after_clause_word = first.dep_ == "nummod" and doc[start - 1].tag_ in ("WDT", "IN")
            if not counts_after_clause_word:
                return True
        if self._is_age_after_name(doc, index, start, end):
            return True
        is_year = end - start == 1 and _YEAR_TOKEN.match(first.text)
        # '2014 killed' and '2014 deaths' count; 'the 2014 killing spree' names a year.
        counts_with = following is not None and (
            index.names_people(following) or (following.i in index.triggers and following.tag_ != "NN")
        )
        return bool(is_year) and not counts_with

    def _is_gallery_counter(self, doc: Doc, start: int, end: int) -> bool:
        """A photo gallery's place-keeping a page carries into its text: 'Image 14 of 20',
        '1 / 20 Back to Gallery'. Neither number counts people."""
        if end - start != 1 or not doc[start].is_digit:
            return False

        def is_digit_at(position: int) -> bool:
            return 0 <= position < len(doc) and doc[position].is_digit

        def slash_at(position: int) -> bool:
            return 0 <= position < len(doc) and doc[position].text == "/"

        if (slash_at(start - 1) and is_digit_at(start - 2)) or (slash_at(end) and is_digit_at(end + 1)):
            return True  # '1 / 20', and the digits of '24/7' or '3/4' are no count either
        gallery = self.role("gallery_item")
        if start > 0 and doc[start - 1].lower_ in gallery and end + 1 < len(doc) and doc[end].lower_ == "of":
            return True  # 'Image 14 of 20'
        return start > 2 and doc[start - 1].lower_ == "of" and is_digit_at(start - 2) and doc[start - 3].lower_ in gallery

    def _is_street_address(self, doc: Doc, index: LexiconIndex, start: int, end: int) -> bool:
        """A house or street number: digits before a street's name ('951 W. Lake Mead Blvd.',
        'the area of 1506 NW 70 St', '3150 Robinson Road'), the name capitalised words, compass
        abbreviations or ordinals up to a street word. Local news gives the address of most
        shootings; none counts people. A headline's capitalised words are no street's name when
        they say what happened ('2 Shot On Oak St.'), nor is 'St.' a street before a capitalised
        word ('15 St. Louis residents')."""
        if end - start != 1 or not doc[start].is_digit:
            return False
        street_words, compass = self.role("street_word"), self.role("compass_abbreviation")
        for position in range(end, min(end + 5, len(doc))):
            token = doc[position]
            if token.lower_ in street_words and token.text[0].isupper():
                following = doc[position + 1] if position + 1 < len(doc) else None
                return following is None or not following.is_title
            names_the_street = token.is_title or token.lower_ in compass or token.text == "." or token.text[0].isdigit()
            says_what_happened = token.is_stop or token.i in index.triggers or index.names_people(token)
            if not names_the_street or says_what_happened:
                return False
        return False

    def _is_age_after_name(self, doc: Doc, index: LexiconIndex, start: int, end: int) -> bool:
        """'Ann Vell, 34, and Bo Rask, 27, were killed', 'Jim Dorn, 45 of Oakdale, died', and in
        headlines 'Boy, 14, dies after ...': a bare number set off by a comma after a name or a
        word for a person is the person's age."""
        if end - start != 1 or not doc[start].text.isdigit() or start < 2:
            return False
        person = doc[start - 2]
        if doc[start - 1].text != "," or not (person.pos_ == "PROPN" or index.names_people(person)):
            return False
        return end == len(doc) or doc[end].lower_ in self.role("after_age")
