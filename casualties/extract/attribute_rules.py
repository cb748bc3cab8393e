"""`indexed_attribute_ruler`: the model's attribute ruler, with its rules looked up.

The model's `attribute_ruler` sets each token's part of speech, morphology and some lemmas
from its tag and word (179 rules: a tag map and its exceptions). spaCy's matcher tries every
rule at every token, which cost as much as the parser (in processor time on the demo corpus,
68 ms against the parser's 66). All but eight of the rules test one token, and only its word,
tag, dependency label or space flag: what they set on a token depends on these four values
alone, and only on whether each is one a rule names (a value no rule names acts as any
other). So this component works out what they set once per such combination and looks it
up at every token (on 155,141 tokens of the gva dev paragraphs, 0.36 s of processor time
against 0.57 s when it found and tested each token's rules). The rules of two tokens are
found through a value they require of one of them (a word) and tested there; a rule it
cannot test (an operator, another attribute) is left to a matcher. Rules apply in the order
the ruler holds them, a later one overriding an earlier one's attributes, as the attribute
ruler does, so every token gets the same attributes (tests/test_attribute_rules.py; and on
the 542,387 tokens of the dev sets' articles).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy
import srsly
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG, intify_attrs
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import ensure_path

PIPE_NAME = "indexed_attribute_ruler"
RULED_ATTRIBUTE = "attribute_ruler"  # the model's pipe this one replaces
# The token attributes a one-token rule may test here; a rule testing any other goes to the matcher.
TESTED = {"TAG": TAG, "DEP": DEP, "LOWER": LOWER, "IS_SPACE": IS_SPACE}
# The attributes a rule may set, in the order of the columns they are written through.
WRITTEN = (POS, TAG, DEP, LEMMA, MORPH)
PATTERNS_FILE = "patterns.jsonl"
# The word names fewest tokens, the space flag most.
_INDEX_COLUMNS = tuple(list(TESTED).index(key) for key in ("LOWER", "TAG", "DEP", "IS_SPACE"))


@dataclass(frozen=True)
class _Test:
    column: int  # into TESTED's attributes, as `Doc.to_array` gives them
    values: frozenset[int]  # the attribute's wanted values (ids)...
    negated: bool  # ...or unwanted ones
    regex: re.Pattern[str] | None = None  # or what its string must hold

    def passes(self, token_values: Sequence[int], strings: StringStore) -> bool:
        if self.regex is not None:
            return self.regex.search(strings[token_values[self.column]]) is not None
        return (token_values[self.column] in self.values) != self.negated


@dataclass(frozen=True)
class _Rule:
    order: int  # its place in the ruler: a later rule overrides an earlier one
    tests: tuple[tuple[_Test, ...], ...]  # for each token of the pattern
    target: int  # the token of the pattern it sets, counted from the first
    writes: tuple[tuple[int, int], ...]  # (column in WRITTEN, value)

    def matches(self, tested: Sequence[Sequence[int]], start: int, strings: StringStore) -> bool:
        if start < 0 or start + len(self.tests) > len(tested):
            return False
        for offset, token_tests in enumerate(self.tests):
            token_values = tested[start + offset]
            for test in token_tests:
                if not test.passes(token_values, strings):
                    return False
        return True


def _final_writes(rules: Iterable[_Rule]) -> tuple[tuple[int, int], ...]:
    """What the rules set, applied in their order, a later one overriding an earlier one."""
    values: dict[int, int] = {}
    for rule in sorted(rules, key=lambda rule: rule.order):
        values.update(rule.writes)
    return tuple(values.items())


class IndexedAttributeRuler:
    """Holds the attribute ruler's patterns (`add_patterns`, `patterns`: the same format)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.clear()

    def clear(self) -> None:
        self._patterns: list[dict[str, Any]] = []
        self._one_token_rules: list[_Rule] = []
        # For each tested attribute, the values the one-token rules name or find by a
        # pattern searched in their string, those they do not, and the patterns. A searched
        # attribute (a word) keeps each value it has seen: no more than the vocabulary holds.
        self._kept: tuple[set[int], ...] = tuple(set() for _ in TESTED)
        self._not_kept: tuple[set[int], ...] = tuple(set() for _ in TESTED)
        self._searched: tuple[list[re.Pattern[str]], ...] = tuple([] for _ in TESTED)
        # What the one-token rules do to a token depends on its tested values, each kept or
        # None: the outcomes are numbered by these keys; by number, the rules that match, in
        # order, and which of WRITTEN's attributes they set (mask) to which values.
        self._outcome_numbers: dict[tuple[int | None, ...], int] = {}
        self._outcome_rules: list[tuple[_Rule, ...]] = []
        self._outcome_masks = numpy.zeros((0, len(WRITTEN)), dtype=bool)
        self._outcome_values = numpy.zeros((0, len(WRITTEN)), dtype=numpy.uint64)
        # A rule of more tokens is found through a value it requires of one of its tokens
        # (at an offset from its first), of the first of _INDEX_COLUMNS' attributes it names;
        # one requiring none is tried at every token.
        self._indexes: dict[int, dict[int, list[tuple[int, _Rule]]]] = {column: defaultdict(list) for column in _INDEX_COLUMNS}
        self._everywhere: list[_Rule] = []
        self._matcher = Matcher(self.vocab)  # the rules with patterns this ruler cannot test
        self._matcher_rules: dict[int, _Rule] = {}

    @property
    def patterns(self) -> list[dict[str, Any]]:
        return list(self._patterns)

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        for pattern in patterns:
            self._add(pattern["patterns"], pattern["attrs"], pattern.get("index", 0))

    def _add(self, token_patterns: list[list[dict[str, Any]]], attrs: dict[str, Any], index: int) -> None:
        order = len(self._patterns)
        self._patterns.append({"patterns": token_patterns, "attrs": attrs, "index": index})
        writes = self._writes(attrs)
        for token_pattern in token_patterns:
            target = index if index >= 0 else len(token_pattern) + index
            if not 0 <= target < len(token_pattern):
                raise ValueError(f"{self.name}: rule {order} sets token {index} of a pattern of {len(token_pattern)} tokens")
            tests = [self._tests(token) for token in token_pattern]
            if any(token_tests is None for token_tests in tests):
                self._matcher.add(str(order), [token_pattern])
                self._matcher_rules[order] = _Rule(order, (), target, writes)
                continue
            rule = _Rule(order, tuple(token_tests for token_tests in tests if token_tests is not None), target, writes)
            if len(rule.tests) == 1:
                self._add_one_token_rule(rule)
                continue
            key = next(
                (
                    (column, offset, test)
                    for column in _INDEX_COLUMNS
                    for offset, token_tests in enumerate(rule.tests)
                    for test in token_tests
                    if test.column == column and not test.negated and test.regex is None
                ),
                None,
            )
            if key is None:
                self._everywhere.append(rule)
                continue
            column, offset, test = key
            for value in test.values:
                self._indexes[column][value].append((offset, rule))

    def _add_one_token_rule(self, rule: _Rule) -> None:
        self._one_token_rules.append(rule)
        for test in rule.tests[0]:
            self._kept[test.column].update(test.values)
            self._not_kept[test.column].difference_update(test.values)
            if test.regex is not None:
                self._searched[test.column].append(test.regex)
                self._not_kept[test.column].clear()
        self._outcome_numbers.clear()
        self._outcome_rules.clear()
        self._outcome_masks = self._outcome_masks[:0]
        self._outcome_values = self._outcome_values[:0]

    def _kept_values(self, column: int, values: list[int], strings: StringStore) -> list[int | None]:
        """The values, each kept if a one-token rule names it or finds it by a pattern, else None."""
        kept, not_kept = self._kept[column], self._not_kept[column]
        return [
            value if value in kept else None if value in not_kept or not self._searched[column] else self._search(column, value, strings)
            for value in values
        ]

    def _search(self, column: int, value: int, strings: StringStore) -> int | None:
        text = strings[value]
        if any(pattern.search(text) for pattern in self._searched[column]):
            self._kept[column].add(value)
            return value
        self._not_kept[column].add(value)
        return None

    def _outcome_number(self, key: tuple[int | None, ...], token_values: tuple[int, ...], strings: StringStore) -> int:
        """The outcome of the one-token rules for a token with these values; the token stands
        for every one with its key: no rule tells them apart."""
        number = self._outcome_numbers.get(key)
        if number is None:
            rules = tuple(rule for rule in self._one_token_rules if rule.matches([token_values], 0, strings))
            mask = numpy.zeros((1, len(WRITTEN)), dtype=bool)
            values = numpy.zeros((1, len(WRITTEN)), dtype=numpy.uint64)
            for column, value in _final_writes(rules):
                mask[0, column], values[0, column] = True, value
            number = self._outcome_numbers[key] = len(self._outcome_rules)
            self._outcome_rules.append(rules)
            self._outcome_masks = numpy.vstack([self._outcome_masks, mask])
            self._outcome_values = numpy.vstack([self._outcome_values, values])
        return number

    def _writes(self, attrs: dict[str, Any]) -> tuple[tuple[int, int], ...]:
        ids = intify_attrs(attrs, strings_map=self.vocab.strings)
        if MORPH in ids:
            ids[MORPH] = self.vocab.morphology.add(self.vocab.strings.as_string(ids[MORPH]))
        if set(ids) - set(WRITTEN):
            raise ValueError(f"{self.name}: a rule sets attributes this ruler does not write: {sorted(attrs)}")
        return tuple((WRITTEN.index(attr), value) for attr, value in ids.items())

    def _tests(self, token_pattern: dict[str, Any]) -> tuple[_Test, ...] | None:
        """The tests on one token of a pattern, or None when it asks what only the matcher can."""
        tests: list[_Test] = []
        for key, wanted in token_pattern.items():
            if key not in TESTED:
                return None
            column = list(TESTED).index(key)
            if isinstance(wanted, dict):
                if len(wanted) != 1 or next(iter(wanted)) not in ("IN", "NOT_IN", "REGEX"):
                    return None
                operator, values = next(iter(wanted.items()))
                if operator == "REGEX":
                    tests.append(_Test(column, frozenset(), False, re.compile(values)))
                else:
                    tests.append(_Test(column, frozenset(map(_value_id, values)), operator == "NOT_IN"))
            else:
                tests.append(_Test(column, frozenset({_value_id(wanted)}), False))
        return tuple(tests)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        # Column by column: numpy's rows of 64-bit values become Python lists several times slower.
        columns = doc.to_array(list(TESTED.values())).T.tolist()
        tested = list(zip(*columns))
        keys = zip(*(self._kept_values(column, values, strings) for column, values in enumerate(columns)))
        numbers = self._outcome_numbers
        outcomes = [
            number if (number := numbers.get(key)) is not None else self._outcome_number(key, token_values, strings)
            for key, token_values in zip(keys, tested)
        ]
        found: dict[int, list[_Rule]] = {}
        for column, index in self._indexes.items():
            if index.keys().isdisjoint(columns[column]):
                continue
            for position, value in enumerate(columns[column]):
                for offset, rule in index.get(value, ()):
                    if rule.matches(tested, position - offset, strings):
                        found.setdefault(position - offset + rule.target, []).append(rule)
        for rule in self._everywhere:
            for position in range(len(tested)):
                if rule.matches(tested, position, strings):
                    found.setdefault(position + rule.target, []).append(rule)
        if self._matcher_rules:
            for match_id, start, _ in self._matcher(doc, allow_missing=True):
                rule = self._matcher_rules[int(self.vocab.strings[match_id])]
                found.setdefault(start + rule.target, []).append(rule)
        masks = self._outcome_masks[outcomes]
        if not found and not masks.any():
            return doc
        written = doc.to_array(list(WRITTEN))
        numpy.copyto(written, self._outcome_values[outcomes], where=masks)
        for position, rules in found.items():
            for column, value in _final_writes([*self._outcome_rules[outcomes[position]], *rules]):
                written[position, column] = value
        doc.from_array(list(WRITTEN), written)
        return doc

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        patterns: Iterable[dict[str, Any]] = (),
    ) -> None:
        self.clear()
        self.add_patterns(patterns)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = ensure_path(path)
        folder.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(folder / PATTERNS_FILE, self._patterns)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> IndexedAttributeRuler:
        self.clear()
        self.add_patterns(srsly.read_jsonl(ensure_path(path) / PATTERNS_FILE))
        return self


def _value_id(value: str | bool | int) -> int:
    """What the matcher compares a token's attribute with: a string's hash, a flag's 0 or 1."""
    return int(value) if isinstance(value, bool) else get_string_id(value)


def index_attribute_rules(nlp: Language) -> None:
    """Put the indexed ruler, holding the same rules, in the model's attribute ruler's place."""
    rules = nlp.get_pipe(RULED_ATTRIBUTE).patterns
    ruler: IndexedAttributeRuler = nlp.replace_pipe(RULED_ATTRIBUTE, PIPE_NAME)
    ruler.add_patterns(rules)


@Language.factory(PIPE_NAME, requires=["token.tag", "token.dep"], assigns=["token.pos", "token.tag", "token.dep", "token.lemma", "token.morph"])
def make_indexed_attribute_ruler(nlp: Language, name: str) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp, name)
