"""The indexed attribute ruler sets every token's attributes as spaCy's attribute ruler does
with the same rules: the model's own rules, and rules of each kind it looks up (a word, a
list of words, a tag, an excluded value, a pattern of two tokens, a regular expression)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from casualties.extract import MODEL_NAME, UNUSED_PIPES, load_pipeline
from casualties.extract.attribute_rules import PIPE_NAME, IndexedAttributeRuler

TEXTS = (
    "Gunmen killed three villagers and wounded 12 others near the market on Sunday.",
    "There were no injuries, but the ferry's crew said nothin' about it; y'all ain't safe.",
    "She told them that it could have been worse if the bridge had collapsed.",
    "Everyone was evacuated   before the second blast, officials said.\n\nPolice did not say who did it.",
    "Two of those hurt are in critical condition, and one of them has died.",
)
RULES_OF_EACH_KIND: list[dict[str, Any]] = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "NN", "LOWER": "everyone"}]], "attrs": {"POS": "PRON"}},
    {"patterns": [[{"LOWER": {"IN": ["said", "told"]}}]], "attrs": {"LEMMA": "say"}},
    {"patterns": [[{"TAG": {"NOT_IN": ["NN", "NNS", ""]}, "DEP": {"IN": ["nsubj", "nsubjpass"]}}]], "attrs": {"POS": "X"}},
    {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "were"]}}]], "attrs": {"POS": "VERB"}, "index": 1},
    {"patterns": [[{"LOWER": "of"}, {"LOWER": "them"}]], "attrs": {"LEMMA": "they"}, "index": -1},
    {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'?$"}}]], "attrs": {"LEMMA": "nothing"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    # Later rules override earlier ones: 'market' gets NOUN from the first, then PROPN.
    {"patterns": [[{"LOWER": "market"}], [{"LOWER": "bridge"}]], "attrs": {"POS": "PROPN"}},
    # Rules the matcher keeps: an operator and an attribute this ruler does not test.
    {"patterns": [[{"LOWER": "critical"}, {"IS_ALPHA": True, "OP": "+"}]], "attrs": {"POS": "ADJ"}},
    {"patterns": [[{"LENGTH": 6, "TAG": "NNS"}]], "attrs": {"MORPH": "Number=Plur"}},
]
COMPARED = [POS, TAG, DEP, LEMMA, MORPH, HEAD]


@pytest.fixture(scope="module")
def model() -> Language:
    return spacy.load(MODEL_NAME, exclude=list(UNUSED_PIPES))


def parsed_without_rules(model: Language) -> list[Doc]:
    with model.select_pipes(disable=["attribute_ruler"]):
        return list(model.pipe(TEXTS))


@contextmanager
def rulers_under_test(model: Language) -> Iterator[tuple[AttributeRuler, IndexedAttributeRuler]]:
    """spaCy's attribute ruler and ours, empty, added to the model for the time of a test."""
    stock = model.add_pipe("attribute_ruler", name="stock_ruler_under_test", last=True)
    indexed = model.add_pipe(PIPE_NAME, name="indexed_ruler_under_test", last=True)
    try:
        yield stock, indexed
    finally:
        model.remove_pipe("stock_ruler_under_test")
        model.remove_pipe("indexed_ruler_under_test")


def assert_same_attributes(model: Language, rules: list[dict[str, Any]]) -> None:
    docs = parsed_without_rules(model)
    with rulers_under_test(model) as (stock, indexed):
        stock.add_patterns(rules)
        indexed.add_patterns(rules)
        for doc in docs:
            expected, got = stock(doc.copy()), indexed(doc.copy())
            assert [token.pos_ for token in got] == [token.pos_ for token in expected]
            assert (got.to_array(COMPARED) == expected.to_array(COMPARED)).all(), doc.text


def test_the_models_rules_set_the_same_attributes(model: Language) -> None:
    assert_same_attributes(model, model.get_pipe("attribute_ruler").patterns)


def test_rules_of_each_kind_set_the_same_attributes(model: Language) -> None:
    assert_same_attributes(model, RULES_OF_EACH_KIND)


def test_the_extractor_holds_the_models_rules_indexed_and_saves_them(tmp_path: Path, model: Language) -> None:
    nlp = load_pipeline()
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, IndexedAttributeRuler)
    assert ruler.patterns == model.get_pipe("attribute_ruler").patterns
    nlp.to_disk(tmp_path)
    assert spacy.load(tmp_path).get_pipe("attribute_ruler").patterns == ruler.patterns
    doc = nlp("Someone was shot dead outside the station.")
    assert [token.pos_ for token in doc] == ["PRON", "AUX", "VERB", "ADJ", "ADP", "DET", "NOUN", "PUNCT"]


def test_a_rule_added_after_docs_were_ruled_applies_to_the_next(model: Language) -> None:
    """What the rules do to a kind of token is worked out once: a rule added later must still apply."""
    first, later = RULES_OF_EACH_KIND[:1], RULES_OF_EACH_KIND[1:]
    docs = parsed_without_rules(model)
    with rulers_under_test(model) as (stock, indexed):
        stock.add_patterns(first)
        indexed.add_patterns(first)
        for doc in docs:
            indexed(doc.copy())
        stock.add_patterns(later)
        indexed.add_patterns(later)
        for doc in docs:
            expected, got = stock(doc.copy()), indexed(doc.copy())
            assert (got.to_array(COMPARED) == expected.to_array(COMPARED)).all(), doc.text
        assert [token.lemma_ for token in indexed(docs[1].copy()) if token.lower_ == "nothin'"] == ["nothing"]
