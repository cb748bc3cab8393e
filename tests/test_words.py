from __future__ import annotations

import spacy

from casualties.extract.words import doc_text, span_text, words_in


def test_words_in_finds_the_words_a_loop_over_the_tokens_would() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Shelling  went on since dawn.\nSince Friday, 12 people died this week ")
    bounds = frozenset({"since", "week"})
    assert [token.i for token in words_in(doc[7 : len(doc)], bounds)] == [
        token.i for token in doc[7 : len(doc)] if token.lower_ in bounds
    ]
    assert [token.text for token in words_in(doc[0 : len(doc)], bounds)] == ["since", "Since", "week"]


def test_span_text_is_the_text_of_the_span_from_the_doc_text_read_once() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Shelling  went on since dawn.\nSince Friday, 12 people died this week ")
    for span in (doc[0:6], doc[7 : len(doc)], doc[3:3], doc[len(doc) - 1 : len(doc)]):
        assert span_text(span) == span.text
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)  # joined once, then kept
