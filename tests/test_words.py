from __future__ import annotations

import spacy

from casualties.extract.words import span_text, words_in


def test_span_text_and_words_in_read_the_sentence_the_tokens_would() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Shelling  went on since dawn.\nSince Friday, 12 people died this week ")
    sentences = [doc[0:6], doc[7:len(doc)], doc[3:3]]
    for sentence in sentences:
        assert span_text(sentence) == sentence.text
    bounds = frozenset({"since", "week"})
    assert [token.i for token in words_in(doc[7 : len(doc)], bounds)] == [
        token.i for token in doc[7 : len(doc)] if token.lower_ in bounds
    ]
    assert [token.text for token in words_in(doc[0 : len(doc)], bounds)] == ["since", "Since", "week"]
