"""Reading a sentence's words and text without making a Token of each: spaCy builds a Token
object for every word a loop or `Span.text` touches, and the story readers look over every
sentence with a figure for a few words each."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token


# Where a doc keeps its text once read: `Doc.text` joins every token's text at each call,
# and `Span.text` its span's, which the story readers ask of every sentence with a figure.
_TEXT_KEY = "casualties.text"


def span_text(span: Span) -> str:
    """`span.text`, cut from the doc's text, which is joined once per doc."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per doc and kept in its `user_data`. A doc's text never
    changes; a doc made from another's span with its user data (`Span.as_doc(copy_user_data=True)`)
    would carry the other's, and the extractor makes none."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def string_ids(words: Iterable[str]) -> frozenset[int]:
    """The ids of these words in spaCy's string store, as `Doc.to_array(LOWER)` gives a doc's words."""
    return frozenset(get_string_id(word) for word in words)


def words_in(span: Span, forms: frozenset[str]) -> list[Token]:
    """The span's words whose lower-case form is one of `forms`, in order."""
    ids = _ids_of(forms)
    doc = span.doc
    lowers = doc.to_array(LOWER)[span.start : span.end].tolist()
    return [doc[span.start + offset] for offset, lower in enumerate(lowers) if lower in ids]


@functools.lru_cache(maxsize=256)
def _ids_of(forms: frozenset[str]) -> frozenset[int]:
    # The lexicon's word sets live as long as the extractor, so each is hashed once.
    return string_ids(forms)
